#pragma once
// The transfer panel's optional seed video (the job's video_path): its first frames start the
// first chunk, as each chunk's tail starts the next. Dropped on the row or chosen, read whole
// off the UI thread as the control videos are, with how many of its frames are kept
// (num_first_chunk_conditional_frames) and the message about it.

#include "ui/form/transfer_values.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cosmos3::ui {

class ControlVideoReader;

class SeedVideoRow : public QWidget {
  Q_OBJECT

 public:
  explicit SeedVideoRow(QWidget* parent = nullptr);

  QString path() const;
  const ControlVideoInfo& info() const { return info_; }
  int numKeptFrames() const;
  // Sets the file (read again when it changed) and the frames kept, without signalling.
  void setSeed(const QString& path, int num_kept_frames);
  // Uses `path` as the seed video, as a drop does.
  void setSeedVideo(const QString& path);
  bool isReading() const;
  void showMessage(const QString& message);

 Q_SIGNALS:
  void changed();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void read_file();
  void chooseFile();

  ControlVideoReader* reader_;
  QLineEdit* path_;
  QPushButton* choose_;
  QSpinBox* kept_frames_;
  QLabel* message_;
  QString info_path_;  // the file `info_` is about
  ControlVideoInfo info_;
};

}  // namespace cosmos3::ui
