#include "ui/form/seed_video_row.h"

#include "ui/form/control_video_reader.h"
#include "ui/form/dropped_file.h"
#include "ui/form/field_message.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cosmos3::ui {

SeedVideoRow::SeedVideoRow(QWidget* parent)
    : QWidget(parent),
      reader_(new ControlVideoReader(this)),
      path_(new QLineEdit(this)),
      choose_(new QPushButton(tr("Choose…"), this)),
      kept_frames_(new QSpinBox(this)),
      message_(message_label(this, "seed_video_error")) {
  setAcceptDrops(true);
  setObjectName(QStringLiteral("seed_video_row"));
  path_->setObjectName(QStringLiteral("seed_video"));
  path_->setPlaceholderText(tr("Optional: a video whose first frames start the output"));
  choose_->setObjectName(QStringLiteral("choose_seed_video"));
  kept_frames_->setObjectName(QStringLiteral("num_first_chunk_conditional_frames"));
  // Wide on purpose: a count the engine refuses is explained, not clamped.
  kept_frames_->setRange(1, 100000);
  kept_frames_->setValue(1);
  kept_frames_->setPrefix(tr("frames kept from it: "));
  kept_frames_->setToolTip(tr("How many of the seed video's first frames start the output"));

  auto* line = new QHBoxLayout;
  line->addWidget(path_, 1);
  line->addWidget(choose_);
  line->addWidget(kept_frames_);
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->addLayout(line);
  column->addWidget(message_);

  connect(choose_, &QPushButton::clicked, this, &SeedVideoRow::chooseFile);
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    if (path_->text() != info_path_) setSeedVideo(path_->text());
  });
  connect(kept_frames_, &QSpinBox::valueChanged, this, &SeedVideoRow::changed);
  connect(reader_, &ControlVideoReader::videoRead, this,
          [this](const QString& path, const ControlVideoInfo& info) {
            if (path != path_->text()) return;
            info_ = info;
            Q_EMIT changed();
          });
}

QString SeedVideoRow::path() const { return path_->text(); }

int SeedVideoRow::numKeptFrames() const { return kept_frames_->value(); }

void SeedVideoRow::setSeed(const QString& path, int num_kept_frames) {
  const QSignalBlocker block(kept_frames_);
  kept_frames_->setValue(num_kept_frames);
  if (path != path_->text() || info_path_ != path) {
    path_->setText(path);
    read_file();
  }
}

void SeedVideoRow::setSeedVideo(const QString& path) {
  path_->setText(path);
  read_file();
  Q_EMIT changed();
}

bool SeedVideoRow::isReading() const { return reader_->isReading(); }

void SeedVideoRow::showMessage(const QString& message) { show_message(message_, message); }

void SeedVideoRow::read_file() {
  info_path_ = path_->text();
  info_ = reader_->startReading(info_path_, tr("the seed video"));
}

void SeedVideoRow::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("The video whose first frames start the output"), QFileInfo(path_->text()).path(),
      tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi);;All files (*)"));
  if (!path.isEmpty()) setSeedVideo(path);
}

void SeedVideoRow::dragEnterEvent(QDragEnterEvent* event) {
  if (!first_local_file(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void SeedVideoRow::dropEvent(QDropEvent* event) {
  const QString path = first_local_file(event->mimeData());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  setSeedVideo(path);
}

}  // namespace cosmos3::ui
