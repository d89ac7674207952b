#include "ui/player/frame_playback.h"

#include <algorithm>
#include <cmath>

namespace cosmos3::ui {
namespace {
constexpr double kFallbackFps = 24.0;
}

FramePlayback::FramePlayback(QObject* parent) : QObject(parent) {
  // A coarse timer may be 5% late, which a viewer sees as judder at 24 fps.
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &FramePlayback::advance);
}

void FramePlayback::reset(int num_frames, double fps) {
  pause();
  num_frames_ = std::max(0, num_frames);
  fps_ = fps > 0 ? fps : kFallbackFps;
  timer_.setInterval(std::max(1, static_cast<int>(std::lround(1000.0 / fps_))));
  current_frame_ = 0;
  Q_EMIT frame_changed(current_frame_);
}

void FramePlayback::play() {
  if (num_frames_ < 2 || is_playing()) {
    return;
  }
  if (!looping_ && current_frame_ == num_frames_ - 1) {
    seek(0);
  }
  timer_.start();
  Q_EMIT playing_changed(true);
}

void FramePlayback::pause() {
  if (!is_playing()) {
    return;
  }
  timer_.stop();
  Q_EMIT playing_changed(false);
}

void FramePlayback::toggle_playing() {
  if (is_playing()) {
    pause();
  } else {
    play();
  }
}

void FramePlayback::set_looping(bool looping) { looping_ = looping; }

void FramePlayback::seek(int frame_index) {
  if (num_frames_ == 0) {
    return;
  }
  const int clamped = std::clamp(frame_index, 0, num_frames_ - 1);
  if (clamped == current_frame_) {
    return;
  }
  current_frame_ = clamped;
  Q_EMIT frame_changed(current_frame_);
}

void FramePlayback::step(int num_frames) { seek(current_frame_ + num_frames); }

void FramePlayback::advance() {
  if (current_frame_ + 1 < num_frames_) {
    seek(current_frame_ + 1);
  } else if (looping_) {
    seek(0);
  } else {
    pause();
  }
}

}  // namespace cosmos3::ui
