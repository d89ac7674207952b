#pragma once
// The models the user has, for any view that offers a choice (the settings dialog's model
// choice, the model page): downloads under the models folder, complete or not, and folders
// registered as they are (core/hub/model_store.h).

#include <QtCore/QAbstractListModel>

#include "core/hub/model_store.h"

#include <vector>

namespace cosmos3::ui {

class ModelListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    kFolderRole = Qt::UserRole + 1,  // QString: the pipeline folder, what --model takes
    kRepoRole,                       // QString: "nvidia/Cosmos3-Nano", empty when unknown
    kCompleteRole,                   // bool: usable (download finished, or registered)
    kRegisteredRole,                 // bool: added as is, not downloaded here
  };

  explicit ModelListModel(std::filesystem::path models_root = hub::default_models_root(),
                          QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

  // Reads the models folder again (after a download, a delete, an add-model elsewhere).
  void refresh();
  // The row of `folder`, or -1.
  int rowOfFolder(const QString& folder) const;

  hub::ModelStore& store() { return store_; }

 private:
  hub::ModelStore store_;
  std::vector<hub::StoredModel> models_;
};

}  // namespace cosmos3::ui
