#include "ui/models/model_file_table_model.h"

#include "core/hub/hub_errors.h"

namespace cosmos3::ui {

int ModelFileTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ModelFileTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kNumColumns;
}

QVariant ModelFileTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const FileRow& row = rows_[static_cast<size_t>(index.row())];
  if (role == Qt::UserRole && index.column() == kProgressColumn) {
    return row.num_bytes == 0 ? 100 : static_cast<int>(100 * row.num_bytes_done / row.num_bytes);
  }
  if (role != Qt::DisplayRole) {
    return {};
  }
  switch (index.column()) {
    case kFileColumn:
      return row.path;
    case kSizeColumn:
      return QString::fromStdString(hub::format_bytes(static_cast<uint64_t>(row.num_bytes)));
    case kProgressColumn: {
      const int percent =
          row.num_bytes == 0 ? 100 : static_cast<int>(100 * row.num_bytes_done / row.num_bytes);
      return row.stage.isEmpty() ? QStringLiteral("%1%").arg(percent)
                                 : QStringLiteral("%1% %2").arg(percent).arg(row.stage);
    }
    default:
      return {};
  }
}

QVariant ModelFileTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return {};
  }
  switch (section) {
    case kFileColumn:
      return tr("File");
    case kSizeColumn:
      return tr("Size");
    case kProgressColumn:
      return tr("Progress");
    default:
      return {};
  }
}

void ModelFileTableModel::setFiles(const QStringList& paths, const QList<qint64>& sizes,
                                   const QList<qint64>& done) {
  beginResetModel();
  rows_.clear();
  for (qsizetype row = 0; row < paths.size(); ++row) {
    rows_.push_back({paths[row], sizes.value(row), done.value(row),
                     done.value(row) == sizes.value(row) ? tr("done") : QString()});
  }
  endResetModel();
}

void ModelFileTableModel::setFileProgress(int row, qint64 num_bytes_done, const QString& stage) {
  if (row < 0 || row >= rowCount()) {
    return;
  }
  rows_[static_cast<size_t>(row)].num_bytes_done = num_bytes_done;
  rows_[static_cast<size_t>(row)].stage = stage;
  Q_EMIT dataChanged(index(row, kProgressColumn), index(row, kProgressColumn));
}

}  // namespace cosmos3::ui
