#include "ui/models/model_page.h"

#include "core/hub/access_token.h"
#include "core/hub/hub_errors.h"
#include "core/hub/model_store.h"
#include "ui/models/model_download_job.h"
#include "ui/models/model_file_table_model.h"
#include "ui/models/model_list_model.h"

#include <QtCore/QRegularExpression>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace cosmos3::ui {
namespace {

QString bytes_text(qint64 num_bytes) {
  return QString::fromStdString(hub::format_bytes(static_cast<uint64_t>(num_bytes)));
}

}  // namespace

struct ModelPage::DownloadRequest {
  hub::DownloadOptions options;
};

ModelPage::ModelPage(const QString& models_root, QWidget* parent)
    : QWidget(parent),
      models_root_(models_root),
      confirm_delete_([this](const QString& folder) {
        return QMessageBox::question(this, tr("Delete model"),
                                     tr("Delete %1 and every file in it?").arg(folder)) ==
               QMessageBox::Yes;
      }),
      model_list_(new ModelListModel(models_root.toStdString(), this)),
      file_table_(new ModelFileTableModel(this)),
      job_(new ModelDownloadJob(this)) {
  buildLayout();
  connectJob();
  updateButtons();
}

void ModelPage::buildLayout() {
  model_view_ = new QListView(this);
  model_view_->setModel(model_list_);
  repo_box_ = new QComboBox(this);
  repo_box_->setEditable(true);
  repo_box_->addItems({"nvidia/Cosmos3-Nano", "nvidia/Cosmos3-Super"});
  revision_edit_ = new QLineEdit(QStringLiteral("main"), this);
  summary_label_ = new QLabel(this);
  status_label_ = new QLabel(this);
  status_label_->setWordWrap(true);
  status_label_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  status_label_->setOpenExternalLinks(true);
  total_progress_ = new QProgressBar(this);
  total_progress_->setRange(0, 1000);
  file_view_ = new QTableView(this);
  file_view_->setModel(file_table_);
  file_view_->horizontalHeader()->setSectionResizeMode(ModelFileTableModel::kFileColumn,
                                                       QHeaderView::Stretch);
  check_button_ = new QPushButton(tr("Check size"), this);
  download_button_ = new QPushButton(tr("Download"), this);
  pause_button_ = new QPushButton(tr("Pause"), this);
  verify_button_ = new QPushButton(tr("Verify"), this);
  delete_button_ = new QPushButton(tr("Delete"), this);
  use_button_ = new QPushButton(tr("Use this model"), this);

  auto* form = new QFormLayout;
  form->addRow(tr("Hub repository"), repo_box_);
  form->addRow(tr("Revision"), revision_edit_);
  auto* download_buttons = new QHBoxLayout;
  for (QPushButton* button : {check_button_, download_button_, pause_button_}) {
    download_buttons->addWidget(button);
  }
  auto* model_buttons = new QHBoxLayout;
  for (QPushButton* button : {use_button_, verify_button_, delete_button_}) {
    model_buttons->addWidget(button);
  }
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Your models"), this));
  layout->addWidget(model_view_);
  layout->addLayout(model_buttons);
  layout->addLayout(form);
  layout->addLayout(download_buttons);
  layout->addWidget(summary_label_);
  layout->addWidget(total_progress_);
  layout->addWidget(file_view_);
  layout->addWidget(status_label_);

  connect(check_button_, &QPushButton::clicked, this, &ModelPage::checkRepository);
  connect(download_button_, &QPushButton::clicked, this, &ModelPage::startDownload);
  connect(pause_button_, &QPushButton::clicked, job_, &ModelDownloadJob::pause);
  connect(verify_button_, &QPushButton::clicked, this, &ModelPage::verifySelected);
  connect(delete_button_, &QPushButton::clicked, this, &ModelPage::deleteSelected);
  connect(use_button_, &QPushButton::clicked, this, &ModelPage::useSelected);
  connect(model_view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          &ModelPage::updateButtons);
  connect(model_list_, &QAbstractItemModel::modelReset, this, &ModelPage::updateButtons);
}

void ModelPage::connectJob() {
  connect(job_, &ModelDownloadJob::runningChanged, this, &ModelPage::updateButtons);
  connect(job_, &ModelDownloadJob::planned, this, &ModelPage::showPlan);
  connect(job_, &ModelDownloadJob::progressed, this,
          [this](int file_index, qint64 num_file_bytes_done, const QString& stage,
                 qint64 num_bytes_done, qint64 num_bytes) {
            file_table_->setFileProgress(file_index, num_file_bytes_done, stage);
            total_progress_->setValue(
                num_bytes == 0 ? 1000 : static_cast<int>(1000 * num_bytes_done / num_bytes));
            total_progress_->setFormat(bytes_text(num_bytes_done) + " / " + bytes_text(num_bytes));
          });
  connect(job_, &ModelDownloadJob::finished, this, [this](const QString& folder) {
    status_label_->setText(tr("Downloaded to %1.").arg(folder));
    total_progress_->setValue(1000);
    model_list_->refresh();
    selectFolder(folder);
  });
  connect(job_, &ModelDownloadJob::paused, this, [this] {
    status_label_->setText(
        tr("Paused. Finished files and the current part are kept: "
           "Resume continues where it stopped."));
    download_button_->setText(tr("Resume"));
    model_list_->refresh();
  });
  connect(job_, &ModelDownloadJob::failed, this, [this](const QString& message) {
    status_label_->setText(message.toHtmlEscaped().replace(
        QRegularExpression(QStringLiteral("(https://huggingface\\.co/\\S+?)(,|$|\\s)")),
        QStringLiteral("<a href=\"\\1\">\\1</a>\\2")));
    model_list_->refresh();
  });
  connect(job_, &ModelDownloadJob::verified, this,
          [this](const QString& folder, const QStringList& problems) {
            status_label_->setText(problems.isEmpty()
                                       ? tr("%1: every file matches its checksum.").arg(folder)
                                       : tr("%1 is damaged: %2. Delete it and download it again.")
                                             .arg(folder, problems.join(QStringLiteral("; "))));
          });
}

ModelPage::DownloadRequest ModelPage::currentRequest() const {
  DownloadRequest request;
  request.options.repo = hub::resolve_model_alias(repo_box_->currentText().trimmed().toStdString());
  request.options.revision = revision_edit_->text().trimmed().toStdString();
  request.options.folder = std::filesystem::path(models_root_.toStdString()) / request.options.repo;
  request.options.endpoint = endpoint_.toStdString();
  request.options.token = hub::find_access_token(access_token_.toStdString());
  return request;
}

void ModelPage::checkRepository() {
  status_label_->clear();
  try {
    job_->plan(currentRequest().options);
  } catch (const UserError& error) {
    status_label_->setText(QString::fromStdString(error.what()));
  }
}

void ModelPage::startDownload() {
  status_label_->clear();
  download_button_->setText(tr("Download"));
  try {
    job_->download(currentRequest().options);
  } catch (const UserError& error) {
    status_label_->setText(QString::fromStdString(error.what()));
  }
}

void ModelPage::showPlan(const QString& folder, const QStringList& paths,
                         const QList<qint64>& sizes, const QList<qint64>& present, qint64 num_bytes,
                         qint64 num_bytes_to_fetch, qint64 num_bytes_free, bool complete) {
  file_table_->setFiles(paths, sizes, present);
  total_progress_->setValue(
      num_bytes == 0 ? 1000
                     : static_cast<int>(1000 * (num_bytes - num_bytes_to_fetch) / num_bytes));
  total_progress_->setFormat(bytes_text(num_bytes - num_bytes_to_fetch) + " / " +
                             bytes_text(num_bytes));
  QString summary = tr("%1 in %2 files into %3; %4 to download, %5 free")
                        .arg(bytes_text(num_bytes))
                        .arg(paths.size())
                        .arg(folder, bytes_text(num_bytes_to_fetch), bytes_text(num_bytes_free));
  if (complete) {
    summary += tr(" (complete)");
  } else if (num_bytes_to_fetch > num_bytes_free) {
    summary += tr(" - not enough disk space: free %1 or choose another models folder")
                   .arg(bytes_text(num_bytes_to_fetch - num_bytes_free));
  }
  summary_label_->setText(summary);
}

QString ModelPage::selectedFolder() const {
  return model_view_->currentIndex().data(ModelListModel::kFolderRole).toString();
}

void ModelPage::selectFolder(const QString& folder) {
  const int row = model_list_->rowOfFolder(folder);
  if (row >= 0) {
    model_view_->setCurrentIndex(model_list_->index(row));
  }
  updateButtons();
}

void ModelPage::verifySelected() {
  if (!selectedFolder().isEmpty()) {
    status_label_->setText(tr("Checking every file of %1...").arg(selectedFolder()));
    job_->verify(selectedFolder());
  }
}

void ModelPage::deleteSelected() {
  const QString folder = selectedFolder();
  if (folder.isEmpty() || !confirm_delete_(folder)) {
    return;
  }
  try {
    model_list_->store().remove(folder.toStdString());
    status_label_->setText(tr("Deleted %1.").arg(folder));
  } catch (const UserError& error) {
    status_label_->setText(QString::fromStdString(error.what()));
  }
  model_list_->refresh();
}

void ModelPage::useSelected() {
  const QModelIndex current = model_view_->currentIndex();
  if (current.isValid() && current.data(ModelListModel::kCompleteRole).toBool()) {
    Q_EMIT modelChosen(current.data(ModelListModel::kFolderRole).toString());
  }
}

void ModelPage::updateButtons() {
  const bool running = job_->isRunning();
  const QModelIndex current = model_view_->currentIndex();
  const bool complete = current.isValid() && current.data(ModelListModel::kCompleteRole).toBool();
  check_button_->setEnabled(!running);
  download_button_->setEnabled(!running);
  pause_button_->setEnabled(running);
  repo_box_->setEnabled(!running);
  revision_edit_->setEnabled(!running);
  use_button_->setEnabled(complete);
  verify_button_->setEnabled(!running && complete &&
                             !current.data(ModelListModel::kRegisteredRole).toBool());
  delete_button_->setEnabled(!running && current.isValid());
}

}  // namespace cosmos3::ui
