#include "ui/form/conditioning_media_field.h"

#include "ui/form/field_message.h"
#include "ui/form/media_thumbnail_loader.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeDatabase>
#include <QPushButton>
#include <QVBoxLayout>

namespace cosmos3::ui {
namespace {

constexpr int kThumbnailSize = 96;

}  // namespace

ConditioningMediaField::ConditioningMediaField(QWidget* parent)
    : QWidget(parent),
      loader_(new MediaThumbnailLoader(this)),
      thumbnail_(new QLabel(this)),
      path_label_(new QLabel(tr("No input: drop an image or a video on the form"), this)),
      choose_button_(new QPushButton(tr("Choose…"), this)),
      clear_button_(new QPushButton(tr("Clear"), this)),
      message_(message_label(this, "media_error")),
      video_options_(new QWidget(this)),
      frame_indexes_(new QLineEdit(QStringLiteral("0,1"), video_options_)),
      keep_(new QComboBox(video_options_)),
      indexes_message_(message_label(video_options_, "condition_frame_indexes_error")) {
  thumbnail_->setObjectName(QStringLiteral("thumbnail"));
  thumbnail_->setFixedSize(kThumbnailSize, kThumbnailSize);
  thumbnail_->setAlignment(Qt::AlignCenter);
  path_label_->setObjectName(QStringLiteral("media_path"));
  path_label_->setWordWrap(true);
  choose_button_->setObjectName(QStringLiteral("choose_media"));
  clear_button_->setObjectName(QStringLiteral("clear_media"));
  frame_indexes_->setObjectName(QStringLiteral("condition_frame_indexes"));
  frame_indexes_->setToolTip(tr("Latent frames the video fixes, e.g. 0,1"));
  keep_->setObjectName(QStringLiteral("condition_video_keep"));
  keep_->addItem(tr("Keep the first frames"));
  keep_->addItem(tr("Keep the last frames"));

  auto* options = new QFormLayout(video_options_);
  options->setContentsMargins(0, 0, 0, 0);
  options->addRow(tr("Condition frames"), frame_indexes_);
  options->addRow(QString(), indexes_message_);
  options->addRow(tr("Video end"), keep_);

  auto* buttons = new QVBoxLayout;
  buttons->addWidget(path_label_);
  auto* button_row = new QHBoxLayout;
  button_row->addWidget(choose_button_);
  button_row->addWidget(clear_button_);
  button_row->addStretch();
  buttons->addLayout(button_row);
  auto* top = new QHBoxLayout;
  top->addWidget(thumbnail_);
  top->addLayout(buttons, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(message_);
  layout->addWidget(video_options_);

  connect(choose_button_, &QPushButton::clicked, this, &ConditioningMediaField::chooseFile);
  connect(clear_button_, &QPushButton::clicked, this, [this] { setPath(QString()); });
  connect(frame_indexes_, &QLineEdit::textChanged, this, &ConditioningMediaField::changed);
  connect(keep_, &QComboBox::currentIndexChanged, this, &ConditioningMediaField::changed);
  connect(loader_, &MediaThumbnailLoader::loaded, this,
          [this](const QString& loaded_path, const QImage& first_frame) {
            if (loaded_path != path_) {
              return;
            }
            loading_ = false;
            problem_.clear();
            source_size_ = first_frame.size();
            thumbnail_->setPixmap(QPixmap::fromImage(first_frame.scaled(
                kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            Q_EMIT changed();
          });
  connect(loader_, &MediaThumbnailLoader::failed, this,
          [this](const QString& failed_path, const QString& reason) {
            if (failed_path != path_) {
              return;
            }
            loading_ = false;
            problem_ = reason;
            thumbnail_->clear();
            Q_EMIT changed();
          });
}

bool ConditioningMediaField::isImageFile(const QString& path) {
  return QMimeDatabase().mimeTypeForFile(path).name().startsWith(QLatin1String("image/"));
}

void ConditioningMediaField::setPath(const QString& path) {
  path_ = path;
  source_size_ = QSize();
  thumbnail_->clear();
  path_label_->setText(path.isEmpty() ? tr("No input: drop an image or a video on the form")
                                      : path);
  loading_ = !path.isEmpty();
  problem_ = loading_ ? tr("reading %1…").arg(path) : QString();
  if (loading_) {
    loader_->load(path);
  }
  Q_EMIT changed();
}

void ConditioningMediaField::setVideoOptionsVisible(bool visible) {
  video_options_->setVisible(visible);
}

QString ConditioningMediaField::conditionFrameIndexesText() const { return frame_indexes_->text(); }

void ConditioningMediaField::setConditionFrameIndexesText(const QString& text) {
  frame_indexes_->setText(text);
}

bool ConditioningMediaField::keepsLastFrames() const { return keep_->currentIndex() == 1; }

void ConditioningMediaField::setKeepsLastFrames(bool keep_last) {
  keep_->setCurrentIndex(keep_last ? 1 : 0);
}

void ConditioningMediaField::setMessage(const QString& message) { show_message(message_, message); }

void ConditioningMediaField::setIndexesMessage(const QString& message) {
  show_message(indexes_message_, message);
}

void ConditioningMediaField::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Image or video to condition on"), QString(),
      tr("Images and videos (*.png *.jpg *.jpeg *.webp *.bmp *.mp4 *.mov *.mkv *.webm *.avi);;"
         "All files (*)"));
  if (!path.isEmpty()) {
    Q_EMIT fileChosen(path);
  }
}

}  // namespace cosmos3::ui
