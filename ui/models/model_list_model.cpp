#include "ui/models/model_list_model.h"

namespace cosmos3::ui {

ModelListModel::ModelListModel(std::filesystem::path models_root, QObject* parent)
    : QAbstractListModel(parent), store_(std::move(models_root)) {
  refresh();
}

int ModelListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(models_.size());
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const hub::StoredModel& model = models_[static_cast<size_t>(index.row())];
  const QString folder = QString::fromStdString(model.folder.string());
  const QString repo = QString::fromStdString(model.repo);
  switch (role) {
    case Qt::DisplayRole: {
      const QString name = repo.isEmpty() ? folder : repo;
      if (model.registered) {
        return tr("%1 (added folder)").arg(name);
      }
      return model.complete ? name : tr("%1 (download unfinished)").arg(name);
    }
    case Qt::ToolTipRole:
    case kFolderRole:
      return folder;
    case kRepoRole:
      return repo;
    case kCompleteRole:
      return model.complete;
    case kRegisteredRole:
      return model.registered;
    default:
      return {};
  }
}

QHash<int, QByteArray> ModelListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names[kFolderRole] = "folder";
  names[kRepoRole] = "repo";
  names[kCompleteRole] = "complete";
  names[kRegisteredRole] = "registered";
  return names;
}

void ModelListModel::refresh() {
  beginResetModel();
  models_ = store_.list();
  endResetModel();
}

int ModelListModel::rowOfFolder(const QString& folder) const {
  for (size_t row = 0; row < models_.size(); ++row) {
    if (QString::fromStdString(models_[row].folder.string()) == folder) {
      return static_cast<int>(row);
    }
  }
  return -1;
}

}  // namespace cosmos3::ui
