#pragma once
// One hint's row of the transfer panel: whether the hint steers the job (none, a control video,
// or for edge and blur one made from the source video), the control video itself (dropped on
// the row or chosen), read whole off the UI thread, and the message about it.

#include "ui/form/transfer_values.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cosmos3::ui {

class ControlVideoReader;

class ControlVideoRow : public QWidget {
  Q_OBJECT

 public:
  explicit ControlVideoRow(pipeline::ControlHint hint, QWidget* parent = nullptr);

  pipeline::ControlHint hint() const { return hint_; }
  ControlChoice choice() const;
  // Sets the origin and file without signalling a user's pick; a file is read again.
  void setChoice(ControlOrigin origin, const QString& path);
  // Uses `path` as this hint's control video, as a drop does.
  void setControlVideo(const QString& path);
  bool isReading() const;
  void showMessage(const QString& message);

 Q_SIGNALS:
  void changed();
  // The user turned the hint on or off (not a restore): the form applies the hints' preset.
  void originChosen();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void show_origin();
  void read_file();
  void chooseFile();

  pipeline::ControlHint hint_;
  ControlVideoReader* reader_;
  QComboBox* origin_;
  QLineEdit* path_;
  QPushButton* choose_;
  QLabel* message_;
  QString info_path_;  // the file `info_` is about
  ControlVideoInfo info_;
};

}  // namespace cosmos3::ui
