#pragma once
// The files of one model download with their size and progress, for the model page's table.

#include <QtCore/QAbstractTableModel>
#include <QtCore/QStringList>

#include <vector>

namespace cosmos3::ui {

class ModelFileTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kFileColumn, kSizeColumn, kProgressColumn, kNumColumns };

  using QAbstractTableModel::QAbstractTableModel;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  // The files of a plan; `done` holds the bytes each already has (finished files: their size).
  void setFiles(const QStringList& paths, const QList<qint64>& sizes, const QList<qint64>& done);
  // One file's bytes so far and its stage text ("downloading", "checking", "done").
  void setFileProgress(int row, qint64 num_bytes_done, const QString& stage);

 private:
  struct FileRow {
    QString path;
    qint64 num_bytes = 0;
    qint64 num_bytes_done = 0;
    QString stage;
  };
  std::vector<FileRow> rows_;
};

}  // namespace cosmos3::ui
