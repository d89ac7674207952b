#pragma once
// The history gallery's rows: the queue's finished jobs that left an output, newest first,
// filtered by prompt text and mode, each with its first frame as the decoration (loaded by
// HistoryThumbnails off the UI thread) and its parameters as the tooltip.

#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QString>

namespace cosmos3::ui {

class HistoryThumbnails;
class JobQueueModel;

class HistoryFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  enum Role {
    OutputPathRole = Qt::UserRole + 100,  // the job's first output
    ParametersRole,  // "128×192 · 5 frames · 2 steps · guidance 6 · seed 0"
  };

  HistoryFilterModel(JobQueueModel& queue, HistoryThumbnails& thumbnails,
                     QObject* parent = nullptr);

  // Case-insensitive text the prompt must contain; empty: any.
  void setPromptFilter(const QString& text);
  // A JobQueueModel::mode_of value ("text-to-video", ...); empty: any.
  void setModeFilter(const QString& mode);

  // The first output of a queue job's result, empty when it has none.
  static QString output_of(const QJsonObject& result);
  static QString parameters_text(const QJsonObject& request);

  QVariant data(const QModelIndex& index, int role) const override;
  qint64 jobId(const QModelIndex& index) const;

 protected:
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  JobQueueModel& queue_;
  HistoryThumbnails& thumbnails_;
  QString prompt_filter_;
  QString mode_filter_;
};

}  // namespace cosmos3::ui
