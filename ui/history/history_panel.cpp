#include "ui/history/history_panel.h"

#include "ui/history/history_filter_model.h"
#include "ui/history/history_thumbnails.h"
#include "ui/queue/job_queue_model.h"

#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include <exception>

namespace cosmos3::ui {

HistoryPanel::HistoryPanel(JobQueueModel& queue, QWidget* parent)
    : QWidget(parent), queue_(queue), thumbnails_(new HistoryThumbnails(this)) {
  model_ = new HistoryFilterModel(queue_, *thumbnails_, this);
  auto* layout = new QVBoxLayout(this);
  auto* filters = new QHBoxLayout;
  prompt_filter_ = new QLineEdit(this);
  prompt_filter_->setObjectName(QStringLiteral("history_prompt_filter"));
  prompt_filter_->setPlaceholderText(tr("Filter by prompt text"));
  prompt_filter_->setClearButtonEnabled(true);
  mode_filter_ = new QComboBox(this);
  mode_filter_->setObjectName(QStringLiteral("history_mode_filter"));
  mode_filter_->addItem(tr("All modes"), QString());
  for (const auto& [label, mode] : {std::pair{tr("Text to video"), QStringLiteral("text-to-video")},
                                    {tr("Text to image"), QStringLiteral("text-to-image")},
                                    {tr("Image to video"), QStringLiteral("image-to-video")},
                                    {tr("Video to video"), QStringLiteral("video-to-video")}}) {
    mode_filter_->addItem(label, mode);
  }
  filters->addWidget(prompt_filter_, 1);
  filters->addWidget(mode_filter_);
  layout->addLayout(filters);
  connect(prompt_filter_, &QLineEdit::textChanged, model_, &HistoryFilterModel::setPromptFilter);
  connect(mode_filter_, &QComboBox::currentIndexChanged, this,
          [this] { model_->setModeFilter(mode_filter_->currentData().toString()); });

  view_ = new QListView(this);
  view_->setObjectName(QStringLiteral("history_view"));
  view_->setViewMode(QListView::IconMode);
  view_->setResizeMode(QListView::Adjust);
  view_->setIconSize(QSize(HistoryThumbnails::kSize, HistoryThumbnails::kSize));
  view_->setGridSize(QSize(HistoryThumbnails::kSize + 40, HistoryThumbnails::kSize + 56));
  view_->setWordWrap(true);
  view_->setTextElideMode(Qt::ElideRight);
  // Every cell the same size from the start: thumbnails arrive after the first layout.
  view_->setMovement(QListView::Static);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setModel(model_);
  layout->addWidget(view_, 1);
  connect(view_, &QListView::doubleClicked, this, &HistoryPanel::openSelected);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &HistoryPanel::update_buttons);

  auto* buttons = new QHBoxLayout;
  for (const auto& [name, label, slot] :
       {std::tuple{"history_open", tr("Open"), &HistoryPanel::openSelected},
        {"history_reveal", tr("Show in folder"), &HistoryPanel::revealSelected},
        {"history_copy", tr("Copy parameters"), &HistoryPanel::copySelectedParameters},
        {"history_use_as_input", tr("Use as input"), &HistoryPanel::useSelectedAsInput},
        {"history_delete", tr("Delete"), &HistoryPanel::deleteSelected}}) {
    auto* button = new QPushButton(label, this);
    button->setObjectName(QLatin1String(name));
    connect(button, &QPushButton::clicked, this, slot);
    buttons->addWidget(button);
    selection_buttons_.append(button);
  }
  layout->addLayout(buttons);
  update_buttons();
}

qint64 HistoryPanel::selected_id() const {
  const QModelIndexList rows = view_->selectionModel()->selectedIndexes();
  return rows.isEmpty() ? 0 : model_->jobId(rows.first());
}

QString HistoryPanel::selectedOutput() const {
  const QModelIndexList rows = view_->selectionModel()->selectedIndexes();
  return rows.isEmpty() ? QString()
                        : rows.first().data(HistoryFilterModel::OutputPathRole).toString();
}

QJsonObject HistoryPanel::selected_request() const {
  const int row = queue_.row_of(selected_id());
  return row < 0 ? QJsonObject() : queue_.jobs().at(row).request;
}

void HistoryPanel::update_buttons() {
  const bool selected = selected_id() != 0;
  for (QPushButton* button : selection_buttons_) button->setEnabled(selected);
}

void HistoryPanel::openSelected() {
  const QString output = selectedOutput();
  if (!output.isEmpty() && !QDesktopServices::openUrl(QUrl::fromLocalFile(output))) {
    Q_EMIT actionFailed(tr("No application opens %1; open it from its folder.").arg(output));
  }
}

void HistoryPanel::revealSelected() {
  const QString output = selectedOutput();
  if (output.isEmpty()) return;
  const QString folder = QFileInfo(output).absolutePath();
  if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder))) {
    Q_EMIT actionFailed(tr("No file manager opens %1.").arg(folder));
  }
}

void HistoryPanel::copySelectedParameters() {
  const QJsonObject request = selected_request();
  if (request.isEmpty()) return;
  QGuiApplication::clipboard()->setText(
      QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Indented)));
}

void HistoryPanel::useSelectedAsInput() {
  const QString output = selectedOutput();
  if (!output.isEmpty()) Q_EMIT useAsInputRequested(output);
}

void HistoryPanel::deleteSelected() {
  const qint64 id = selected_id();
  const QString output = selectedOutput();
  if (id == 0 || output.isEmpty()) return;
  // The folder holds the media, generation.json and rank logs of this one job.
  const QString folder = QFileInfo(output).absolutePath();
  if (QFileInfo::exists(folder) && !QFile::moveToTrash(folder)) {
    Q_EMIT actionFailed(
        tr("Cannot move %1 to the trash (no trash on this file system?); the job is kept.")
            .arg(folder));
    return;
  }
  try {
    queue_.remove({id});
  } catch (const std::exception& error) {
    Q_EMIT actionFailed(QString::fromUtf8(error.what()));
  }
}

}  // namespace cosmos3::ui
