#pragma once
// The studio's player: a finished job's video (play/pause, scrub, loop, frame-accurate step) or
// image at full resolution, and while a job denoises its live preview stills.
//
// Files are decoded off the UI thread (LatestMediaDecoder) and only the newest request is shown,
// so a burst of previews or a quick second open() never queues up stale work. The decoded
// frames of one file are held, nothing else: open(), showPreview() and clear() drop them.
//
// Keys while a video is shown: Space play/pause, Left/Right one frame back/forward.
//
// Sound: the studio has no audio output of its own, so "Play sound" (enabled only for a file with
// an audio stream) opens the soundtrack in the system's player (QDesktopServices).

#include "ui/player/decoded_media.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>
#include <QWidget>

class QAction;
class QLabel;
class QSlider;
class QToolButton;

namespace cosmos3::ui {

class FramePlayback;
class FrameView;
class LatestMediaDecoder;

class MediaPlayerWidget : public QWidget {
  Q_OBJECT

 public:
  enum class State {
    Empty,    // nothing shown: the placeholder text
    Loading,  // open() is decoding a file
    Ready,    // a decoded file is shown and its controls work
    Preview,  // live preview stills; controls disabled
    Failed,   // the last open() failed; the placeholder shows why
  };
  Q_ENUM(State)

  explicit MediaPlayerWidget(QWidget* parent = nullptr);
  ~MediaPlayerWidget() override;

  State state() const { return state_; }
  int currentFrameIndex() const;
  int frameCount() const { return static_cast<int>(frames_.size()); }
  double fps() const;
  bool isPlaying() const;
  bool isLooping() const;
  // The frame shown, at its decoded size (not scaled to the widget); null when none.
  QImage currentImage() const;
  QString currentPath() const { return current_path_; }
  QString previewCaption() const;
  // The file "Play sound" opens (a generation's sample.wav beside its MP4, else the file
  // itself); empty when what is shown has no sound.
  QString soundtrackPath() const { return soundtrack_path_; }
  QAction* playSoundAction() const { return play_sound_action_; }

  // Applies to the next open(). Files over the limits fail with a message that says so.
  void setDecodeLimits(const MediaDecodeLimits& limits) { limits_ = limits; }
  const MediaDecodeLimits& decodeLimits() const { return limits_; }

 public Q_SLOTS:
  // Decodes an MP4 (any container FFmpeg reads), JPEG or PNG in the background: Loading, then
  // loaded() and Ready, or loadFailed() and Failed.
  void open(const QString& path);
  // Shows a preview still as soon as it is decoded; the previous still stays until then.
  void showPreview(const QString& path);
  // The line above a preview, e.g. "live preview, step 12 / 35".
  void setPreviewCaption(const QString& caption);
  void clear();

  void play();
  void pause();
  void togglePlaying();
  void setLooping(bool looping);
  void seek(int frame_index);
  void stepForward();
  void stepBackward();
  // Hands soundtrackPath() to the system's player; soundFailed() when none takes it.
  void playSound();

 Q_SIGNALS:
  void stateChanged(cosmos3::ui::MediaPlayerWidget::State state);
  void loaded(int num_frames, double fps, QSize size);
  // The MediaError's text, naming the file and what is wrong with it.
  void loadFailed(const QString& message);
  void previewShown(const QString& path);
  // A still that could not be decoded; the previous one stays on screen.
  void previewFailed(const QString& message);
  void frameChanged(int frame_index);
  void playingChanged(bool playing);
  // No application would open the soundtrack; names the file and what to do.
  void soundFailed(const QString& message);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  enum class RequestKind { Open, Preview };

  void build_controls();
  void set_state(State state);
  void drop_frames();
  void show_frame(int frame_index);
  void update_controls();
  void on_decoded(quint64 id, const DecodedMedia& media);
  void on_failed(quint64 id, const QString& path, const QString& message);

  FrameView* view_ = nullptr;
  QLabel* caption_label_ = nullptr;
  QToolButton* play_button_ = nullptr;
  QToolButton* step_back_button_ = nullptr;
  QToolButton* step_forward_button_ = nullptr;
  QToolButton* loop_button_ = nullptr;
  QAction* play_sound_action_ = nullptr;
  QSlider* scrub_slider_ = nullptr;
  QLabel* position_label_ = nullptr;
  FramePlayback* playback_ = nullptr;
  LatestMediaDecoder* decoder_ = nullptr;

  State state_ = State::Empty;
  MediaDecodeLimits limits_;
  QList<QImage> frames_;
  QString current_path_;
  QString soundtrack_path_;
  quint64 awaited_id_ = 0;
  RequestKind awaited_kind_ = RequestKind::Open;
};

}  // namespace cosmos3::ui
