#include "ui/player/media_player_widget.h"

#include "ui/player/frame_playback.h"
#include "ui/player/frame_position_text.h"
#include "ui/player/frame_view.h"
#include "ui/player/latest_media_decoder.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cosmos3::ui {
namespace {

const QString kEmptyText = QStringLiteral("No result selected");

// The controls never take the keyboard focus: Left/Right would move the slider by its own
// step instead of one frame, and Space would press whichever button had the focus.
QToolButton* make_tool_button(QWidget* parent, QStyle::StandardPixmap icon, const QString& name,
                              const QString& tool_tip) {
  auto* button = new QToolButton(parent);
  button->setObjectName(name);
  button->setIcon(parent->style()->standardIcon(icon));
  button->setToolTip(tool_tip);
  button->setFocusPolicy(Qt::NoFocus);
  return button;
}

}  // namespace

MediaPlayerWidget::MediaPlayerWidget(QWidget* parent)
    : QWidget(parent), playback_(new FramePlayback(this)), decoder_(new LatestMediaDecoder(this)) {
  setFocusPolicy(Qt::StrongFocus);
  build_controls();
  connect(playback_, &FramePlayback::frame_changed, this, &MediaPlayerWidget::show_frame);
  connect(playback_, &FramePlayback::playing_changed, this, [this](bool playing) {
    update_controls();
    Q_EMIT playingChanged(playing);
  });
  connect(decoder_, &LatestMediaDecoder::decoded, this, &MediaPlayerWidget::on_decoded);
  connect(decoder_, &LatestMediaDecoder::failed, this, &MediaPlayerWidget::on_failed);
  view_->set_placeholder(kEmptyText);
  update_controls();
}

MediaPlayerWidget::~MediaPlayerWidget() = default;

void MediaPlayerWidget::build_controls() {
  view_ = new FrameView(this);
  caption_label_ = new QLabel(this);
  caption_label_->setObjectName(QStringLiteral("previewCaption"));
  caption_label_->setVisible(false);

  play_button_ = make_tool_button(this, QStyle::SP_MediaPlay, QStringLiteral("playButton"),
                                  tr("Play / pause (Space)"));
  step_back_button_ =
      make_tool_button(this, QStyle::SP_MediaSeekBackward, QStringLiteral("stepBackButton"),
                       tr("Previous frame (Left)"));
  step_forward_button_ =
      make_tool_button(this, QStyle::SP_MediaSeekForward, QStringLiteral("stepForwardButton"),
                       tr("Next frame (Right)"));
  loop_button_ =
      make_tool_button(this, QStyle::SP_BrowserReload, QStringLiteral("loopButton"), tr("Loop"));
  loop_button_->setCheckable(true);
  play_sound_action_ =
      new QAction(style()->standardIcon(QStyle::SP_MediaVolume), tr("Play sound"), this);
  play_sound_action_->setObjectName(QStringLiteral("playSound"));
  play_sound_action_->setToolTip(tr("Play the soundtrack in the system's audio player"));
  auto* play_sound_button = new QToolButton(this);
  play_sound_button->setObjectName(QStringLiteral("playSoundButton"));
  play_sound_button->setDefaultAction(play_sound_action_);
  play_sound_button->setFocusPolicy(Qt::NoFocus);
  scrub_slider_ = new QSlider(Qt::Horizontal, this);
  scrub_slider_->setObjectName(QStringLiteral("scrubSlider"));
  scrub_slider_->setFocusPolicy(Qt::NoFocus);
  position_label_ = new QLabel(this);
  position_label_->setObjectName(QStringLiteral("positionLabel"));

  connect(play_button_, &QToolButton::clicked, this, &MediaPlayerWidget::togglePlaying);
  connect(step_back_button_, &QToolButton::clicked, this, &MediaPlayerWidget::stepBackward);
  connect(step_forward_button_, &QToolButton::clicked, this, &MediaPlayerWidget::stepForward);
  connect(loop_button_, &QToolButton::toggled, playback_, &FramePlayback::set_looping);
  connect(scrub_slider_, &QSlider::valueChanged, playback_, &FramePlayback::seek);
  connect(play_sound_action_, &QAction::triggered, this, &MediaPlayerWidget::playSound);

  auto* controls = new QHBoxLayout;
  controls->addWidget(play_button_);
  controls->addWidget(step_back_button_);
  controls->addWidget(step_forward_button_);
  controls->addWidget(scrub_slider_, 1);
  controls->addWidget(loop_button_);
  controls->addWidget(play_sound_button);
  controls->addWidget(position_label_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(caption_label_);
  layout->addWidget(view_, 1);
  layout->addLayout(controls);
}

int MediaPlayerWidget::currentFrameIndex() const { return playback_->current_frame(); }
double MediaPlayerWidget::fps() const { return playback_->fps(); }
bool MediaPlayerWidget::isPlaying() const { return playback_->is_playing(); }
bool MediaPlayerWidget::isLooping() const { return playback_->is_looping(); }
QImage MediaPlayerWidget::currentImage() const { return view_->image(); }
QString MediaPlayerWidget::previewCaption() const { return caption_label_->text(); }

void MediaPlayerWidget::open(const QString& path) {
  drop_frames();
  current_path_ = path;
  awaited_kind_ = RequestKind::Open;
  awaited_id_ = decoder_->request(path, limits_);
  view_->set_placeholder(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  set_state(State::Loading);
}

void MediaPlayerWidget::showPreview(const QString& path) {
  if (state_ != State::Preview) {
    drop_frames();
    view_->set_placeholder(tr("Waiting for the live preview…"));
    set_state(State::Preview);
  }
  MediaDecodeLimits still_limits = limits_;
  still_limits.first_frame_only = true;
  awaited_kind_ = RequestKind::Preview;
  awaited_id_ = decoder_->request(path, still_limits);
}

void MediaPlayerWidget::setPreviewCaption(const QString& caption) {
  caption_label_->setText(caption);
}

void MediaPlayerWidget::clear() {
  decoder_->cancel_all();
  drop_frames();
  current_path_.clear();
  view_->set_placeholder(kEmptyText);
  set_state(State::Empty);
}

void MediaPlayerWidget::play() { playback_->play(); }
void MediaPlayerWidget::pause() { playback_->pause(); }
void MediaPlayerWidget::togglePlaying() { playback_->toggle_playing(); }
void MediaPlayerWidget::setLooping(bool looping) { loop_button_->setChecked(looping); }
void MediaPlayerWidget::seek(int frame_index) { playback_->seek(frame_index); }

// Stepping is for looking at single frames, so it stops playback first.
void MediaPlayerWidget::stepForward() {
  playback_->pause();
  playback_->step(1);
}

void MediaPlayerWidget::stepBackward() {
  playback_->pause();
  playback_->step(-1);
}

void MediaPlayerWidget::playSound() {
  if (soundtrack_path_.isEmpty()) {
    return;
  }
  if (!QDesktopServices::openUrl(QUrl::fromLocalFile(soundtrack_path_))) {
    Q_EMIT soundFailed(
        tr("No application on this system opens %1: play it with any audio "
           "player, or set a default player for .%2 files")
            .arg(QDir::toNativeSeparators(soundtrack_path_), QFileInfo(soundtrack_path_).suffix()));
  }
}

void MediaPlayerWidget::keyPressEvent(QKeyEvent* event) {
  if (state_ != State::Ready) {
    QWidget::keyPressEvent(event);
    return;
  }
  switch (event->key()) {
    case Qt::Key_Space:
      togglePlaying();
      break;
    case Qt::Key_Left:
      stepBackward();
      break;
    case Qt::Key_Right:
      stepForward();
      break;
    default:
      QWidget::keyPressEvent(event);
      return;
  }
  event->accept();
}

void MediaPlayerWidget::set_state(State state) {
  const bool changed = state != state_;
  state_ = state;
  caption_label_->setVisible(state == State::Preview);
  update_controls();
  if (changed) {
    Q_EMIT stateChanged(state);
  }
}

void MediaPlayerWidget::drop_frames() {
  frames_.clear();
  soundtrack_path_.clear();
  playback_->reset(0, 0);
}

void MediaPlayerWidget::show_frame(int frame_index) {
  if (frame_index < frames_.size()) {
    view_->set_image(frames_[frame_index]);
    const QSignalBlocker blocker(scrub_slider_);
    scrub_slider_->setValue(frame_index);
  }
  update_controls();
  Q_EMIT frameChanged(frame_index);
}

void MediaPlayerWidget::update_controls() {
  const bool video_ready = state_ == State::Ready && frames_.size() > 1;
  for (QWidget* control :
       {static_cast<QWidget*>(play_button_), static_cast<QWidget*>(loop_button_),
        static_cast<QWidget*>(step_back_button_), static_cast<QWidget*>(step_forward_button_),
        static_cast<QWidget*>(scrub_slider_)}) {
    control->setEnabled(video_ready);
  }
  play_sound_action_->setEnabled(state_ == State::Ready && !soundtrack_path_.isEmpty());
  play_button_->setIcon(
      style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  position_label_->setText(state_ == State::Ready
                               ? frame_position_text(currentFrameIndex(), frameCount(), fps())
                               : QString());
}

void MediaPlayerWidget::on_decoded(quint64 id, const DecodedMedia& media) {
  if (id != awaited_id_) {
    return;
  }
  if (awaited_kind_ == RequestKind::Preview) {
    view_->set_image(media.frames.first());
    Q_EMIT previewShown(media.path);
    return;
  }
  frames_ = media.frames;
  soundtrack_path_ = media.soundtrack_path;
  {
    const QSignalBlocker blocker(scrub_slider_);
    scrub_slider_->setRange(0, std::max(0, media.num_frames() - 1));
    scrub_slider_->setPageStep(std::max(1, static_cast<int>(std::lround(media.fps))));
    scrub_slider_->setValue(0);
  }
  set_state(State::Ready);
  playback_->reset(media.num_frames(), media.fps);
  Q_EMIT loaded(media.num_frames(), playback_->fps(), media.size);
}

void MediaPlayerWidget::on_failed(quint64 id, const QString& /*path*/, const QString& message) {
  if (id != awaited_id_) {
    return;
  }
  if (awaited_kind_ == RequestKind::Preview) {
    Q_EMIT previewFailed(message);
    return;
  }
  view_->set_placeholder(message);
  set_state(State::Failed);
  Q_EMIT loadFailed(message);
}

}  // namespace cosmos3::ui
