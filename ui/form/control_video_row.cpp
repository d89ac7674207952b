#include "ui/form/control_video_row.h"

#include "ui/form/control_video_reader.h"
#include "ui/form/dropped_file.h"
#include "ui/form/field_message.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cosmos3::ui {
namespace {

QString object_name(pipeline::ControlHint hint, const char* part) {
  return hint_key(hint) + QLatin1Char('_') + QLatin1String(part);
}

}  // namespace

ControlVideoRow::ControlVideoRow(pipeline::ControlHint hint, QWidget* parent)
    : QWidget(parent),
      hint_(hint),
      reader_(new ControlVideoReader(this)),
      origin_(new QComboBox(this)),
      path_(new QLineEdit(this)),
      choose_(new QPushButton(tr("Choose…"), this)),
      message_(message_label(this, "")) {
  setAcceptDrops(true);
  setObjectName(object_name(hint, "control"));
  origin_->setObjectName(object_name(hint, "origin"));
  origin_->addItem(tr("None"), static_cast<int>(ControlOrigin::kNone));
  origin_->addItem(tr("Control video"), static_cast<int>(ControlOrigin::kFile));
  if (can_be_made(hint)) {
    origin_->addItem(tr("Made from the source video"),
                     static_cast<int>(ControlOrigin::kMadeFromSource));
  }
  path_->setObjectName(object_name(hint, "path"));
  path_->setPlaceholderText(tr("Drop the %1 control video here").arg(hint_key(hint)));
  choose_->setObjectName(object_name(hint, "choose"));
  message_->setObjectName(object_name(hint, "error"));

  auto* line = new QHBoxLayout;
  line->addWidget(origin_);
  line->addWidget(path_, 1);
  line->addWidget(choose_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(line);
  layout->addWidget(message_);

  connect(origin_, &QComboBox::activated, this, [this] {
    show_origin();
    Q_EMIT originChosen();
    Q_EMIT changed();
  });
  connect(choose_, &QPushButton::clicked, this, &ControlVideoRow::chooseFile);
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    if (path_->text() != info_path_) setControlVideo(path_->text());
  });
  connect(reader_, &ControlVideoReader::videoRead, this,
          [this](const QString& path, const ControlVideoInfo& info) {
            if (path != path_->text()) return;
            info_ = info;
            Q_EMIT changed();
          });
  show_origin();
}

ControlChoice ControlVideoRow::choice() const {
  ControlChoice choice;
  choice.origin = static_cast<ControlOrigin>(origin_->currentData().toInt());
  if (choice.origin == ControlOrigin::kFile) {
    choice.path = path_->text();
    choice.info = info_;
  }
  return choice;
}

void ControlVideoRow::setChoice(ControlOrigin origin, const QString& path) {
  origin_->setCurrentIndex(origin_->findData(static_cast<int>(origin)));
  if (path != path_->text() || info_path_ != path) {
    path_->setText(path);
    read_file();
  }
  show_origin();
}

void ControlVideoRow::setControlVideo(const QString& path) {
  const bool turned_on = choice().origin != ControlOrigin::kFile;
  origin_->setCurrentIndex(origin_->findData(static_cast<int>(ControlOrigin::kFile)));
  path_->setText(path);
  read_file();
  show_origin();
  if (turned_on) Q_EMIT originChosen();
  Q_EMIT changed();
}

bool ControlVideoRow::isReading() const { return reader_->isReading(); }

void ControlVideoRow::showMessage(const QString& message) { show_message(message_, message); }

void ControlVideoRow::show_origin() {
  const bool file = choice().origin == ControlOrigin::kFile;
  path_->setEnabled(file);
  choose_->setEnabled(file);
}

void ControlVideoRow::read_file() {
  info_path_ = path_->text();
  info_ = reader_->startReading(info_path_, tr("control video %1").arg(hint_key(hint_)));
}

void ControlVideoRow::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("The %1 control video").arg(hint_key(hint_)), QFileInfo(path_->text()).path(),
      tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi);;All files (*)"));
  if (!path.isEmpty()) setControlVideo(path);
}

void ControlVideoRow::dragEnterEvent(QDragEnterEvent* event) {
  if (!first_local_file(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void ControlVideoRow::dropEvent(QDropEvent* event) {
  const QString path = first_local_file(event->mimeData());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  setControlVideo(path);
}

}  // namespace cosmos3::ui
