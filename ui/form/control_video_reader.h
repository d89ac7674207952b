#pragma once
// Reads a control video (or a control source) whole with the media module's reader on a worker
// thread, as the worker will read it, and reports its frame size and length or the reader's
// error. Only the latest file asked about is reported: choosing another supersedes a running
// read. The frames are not kept: the form's checks need only their shape.

#include "ui/form/transfer_values.h"

#include <QObject>
#include <QString>

namespace cosmos3::ui {

class ControlVideoReader : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;

  // Starts reading `path`; `label` names it in messages ("control video edge").
  void read(const QString& path, const QString& label);
  // Starts reading `path` (none for an empty one) and returns what is known of it until the
  // read reports: that it is still being read, which the checks show beside its field.
  ControlVideoInfo startReading(const QString& path, const QString& label);
  bool isReading() const { return num_running_ > 0; }

 Q_SIGNALS:
  void videoRead(const QString& path, const cosmos3::ui::ControlVideoInfo& info);

 private:
  QString latest_path_;
  int num_running_ = 0;
};

}  // namespace cosmos3::ui
