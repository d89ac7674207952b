#pragma once
// A predicted action sequence (a job's sample_action.json: a JSON array of T rows of D numbers,
// in the model's normalised units) as a table: one row per action step, one column per channel.
// The plot views it; the file is a few kilobytes (chunk x domain width), so it is read whole.

#include <QAbstractTableModel>
#include <QString>
#include <QVector>

namespace cosmos3::ui {

class ActionSequenceModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit ActionSequenceModel(QObject* parent = nullptr);

  // Replaces the sequence with the file's. Throws UserError naming the file and the problem
  // (unreadable, not JSON, not [T, D] numbers, ragged rows); the model is then empty.
  void load(const QString& path);
  void clear();
  QString path() const { return path_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QString path_;
  QVector<QVector<double>> rows_;  // [step][channel]
};

}  // namespace cosmos3::ui
