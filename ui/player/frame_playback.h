#pragma once
// Which frame of a decoded video is current, and a timer that advances it at the file's frame
// rate: wrapping to the first frame when looping, stopping on the last frame otherwise. Every
// change of the current frame goes through frame_changed, so the view and the controls follow
// one source.

#include <QObject>
#include <QTimer>

namespace cosmos3::ui {

class FramePlayback : public QObject {
  Q_OBJECT

 public:
  explicit FramePlayback(QObject* parent = nullptr);

  // A new video: frame 0 current, stopped. `fps` <= 0 falls back to 24 (the model's rate).
  void reset(int num_frames, double fps);
  int num_frames() const { return num_frames_; }
  double fps() const { return fps_; }
  int current_frame() const { return current_frame_; }
  bool is_playing() const { return timer_.isActive(); }
  bool is_looping() const { return looping_; }

  // Starting on the last frame without looping restarts from the first.
  void play();
  void pause();
  void toggle_playing();
  void set_looping(bool looping);
  // Clamped to the video; pauses nothing, so scrubbing while playing continues from there.
  void seek(int frame_index);
  void step(int num_frames);

 Q_SIGNALS:
  void frame_changed(int frame_index);
  void playing_changed(bool playing);

 private:
  void advance();

  QTimer timer_;
  int num_frames_ = 0;
  double fps_ = 0;
  int current_frame_ = 0;
  bool looping_ = false;
};

}  // namespace cosmos3::ui
