#pragma once
// The studio's model page: the models the user has, and getting one from the Hugging Face Hub
// (size, disk needed and free, progress per file, pause/resume, verify, delete), then "use this
// model", which emits modelChosen(folder) for the window to load. The work runs on a worker
// thread (ModelDownloadJob); the page only reacts to its signals.

#include <QtWidgets/QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QTableView;

namespace cosmos3::ui {

class ModelDownloadJob;
class ModelFileTableModel;
class ModelListModel;

class ModelPage : public QWidget {
  Q_OBJECT

 public:
  // `models_root`: where downloads go (hub::default_models_root() in the studio).
  explicit ModelPage(const QString& models_root, QWidget* parent = nullptr);

  // The token from the studio's settings; empty: HF_TOKEN or the Hugging Face CLI's token file.
  void setAccessToken(const QString& token) { access_token_ = token; }
  // The Hub to ask; empty: HF_ENDPOINT or huggingface.co.
  void setEndpoint(const QString& endpoint) { endpoint_ = endpoint; }
  // Asked before a delete; the default asks the user in a message box.
  void setDeleteConfirmation(std::function<bool(const QString& folder)> confirm) {
    confirm_delete_ = std::move(confirm);
  }

  ModelListModel* modelList() const { return model_list_; }
  ModelFileTableModel* fileTable() const { return file_table_; }

 Q_SIGNALS:
  void modelChosen(const QString& folder);

 private:
  void buildLayout();
  void connectJob();
  void checkRepository();
  void startDownload();
  void verifySelected();
  void deleteSelected();
  void useSelected();
  void showPlan(const QString& folder, const QStringList& paths, const QList<qint64>& sizes,
                const QList<qint64>& present, qint64 num_bytes, qint64 num_bytes_to_fetch,
                qint64 num_bytes_free, bool complete);
  void selectFolder(const QString& folder);
  QString selectedFolder() const;
  void updateButtons();
  struct DownloadRequest;
  DownloadRequest currentRequest() const;

  QString models_root_;
  QString access_token_;
  QString endpoint_;
  std::function<bool(const QString&)> confirm_delete_;
  ModelListModel* model_list_ = nullptr;
  ModelFileTableModel* file_table_ = nullptr;
  ModelDownloadJob* job_ = nullptr;

  QListView* model_view_ = nullptr;
  QComboBox* repo_box_ = nullptr;
  QLineEdit* revision_edit_ = nullptr;
  QLabel* summary_label_ = nullptr;
  QLabel* status_label_ = nullptr;
  QProgressBar* total_progress_ = nullptr;
  QTableView* file_view_ = nullptr;
  QPushButton* check_button_ = nullptr;
  QPushButton* download_button_ = nullptr;
  QPushButton* pause_button_ = nullptr;
  QPushButton* verify_button_ = nullptr;
  QPushButton* delete_button_ = nullptr;
  QPushButton* use_button_ = nullptr;
};

}  // namespace cosmos3::ui
