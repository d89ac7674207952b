#pragma once
// The input of image to video and video to video: the file (chosen or dropped on the form), a
// thumbnail of its first frame, and for videos which latent frames it fixes and which end of it
// is kept. The file is read through the media module off the UI thread; a file that cannot be
// read is explained here, as the worker would explain it.

#include <QSize>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cosmos3::ui {

class MediaThumbnailLoader;

class ConditioningMediaField : public QWidget {
  Q_OBJECT

 public:
  explicit ConditioningMediaField(QWidget* parent = nullptr);

  // Starts reading `path` (empty clears the field).
  void setPath(const QString& path);
  QString path() const { return path_; }
  // Why the file cannot be used yet (still being read, unreadable); empty when it can.
  QString problem() const { return problem_; }
  bool isLoading() const { return loading_; }
  // The input's frame size once read (an action job's canvas depends on it); empty before.
  QSize sourceSize() const { return source_size_; }

  void setVideoOptionsVisible(bool visible);
  QString conditionFrameIndexesText() const;
  void setConditionFrameIndexesText(const QString& text);
  bool keepsLastFrames() const;
  void setKeepsLastFrames(bool keep_last);

  // The message shown under the file (the form's check of the whole request decides it).
  void setMessage(const QString& message);
  void setIndexesMessage(const QString& message);

  // An image file by its content type; anything else is taken as a video.
  static bool isImageFile(const QString& path);

 Q_SIGNALS:
  void changed();
  // The user picked a file with the button (a drop goes through the form).
  void fileChosen(const QString& path);

 private:
  void chooseFile();

  MediaThumbnailLoader* loader_;
  QLabel* thumbnail_;
  QLabel* path_label_;
  QPushButton* choose_button_;
  QPushButton* clear_button_;
  QLabel* message_;
  QWidget* video_options_;
  QLineEdit* frame_indexes_;
  QComboBox* keep_;
  QLabel* indexes_message_;
  QString path_;
  QString problem_;
  QSize source_size_;
  bool loading_ = false;
};

}  // namespace cosmos3::ui
