#pragma once
// The settings dialog's list of parallel layouts (model/view): one row per layout the planner
// found valid, fastest first, with memory per GPU, seconds per step and a note (recommended,
// measured, why it does not fit, or that the job has fewer passes than CFG groups). Rows
// that do not fit are disabled.

#include "parallel/engine/layout_planner.h"

#include <QAbstractTableModel>

#include <vector>

namespace cosmos3::ui {

class LayoutListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { LayoutColumn, MemoryColumn, SecondsColumn, NoteColumn, NumColumns };
  // The row's degrees as "cfg,tp,cp", for views and tests.
  static constexpr int DegreesRole = Qt::UserRole + 1;
  static constexpr int RecommendedRole = Qt::UserRole + 2;

  explicit LayoutListModel(QObject* parent = nullptr);

  // `num_passes`: the passes a step of the planned job runs (the CFG groups' work).
  void setOptions(std::vector<parallel::LayoutOption> options, int num_passes = 2);
  const std::vector<parallel::LayoutOption>& options() const { return options_; }
  // -1 when no row has those degrees.
  int rowOf(const parallel::ParallelDegrees& degrees) const;
  int recommendedRow() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

  static QString layoutText(const parallel::ParallelDegrees& degrees);

 private:
  QString note(const parallel::LayoutOption& option) const;

  std::vector<parallel::LayoutOption> options_;
  int num_passes_ = 2;
};

}  // namespace cosmos3::ui
