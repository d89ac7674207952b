#pragma once
// Stores what each finished job measured (seconds per denoising step, the largest peak over
// the ranks) under its model shape, layout, size, dtype, device and job kind, so the settings
// dialog shows measured values instead of predictions for layouts that have run on this
// machine. The job's generation.json supplies its size, layout and passes (guidance, transfer
// hints and control guidance); the file is read and written on a pool thread.

#include "ui/studio/studio_settings.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

namespace cosmos3::ui {

class LayoutMeasurementRecorder : public QObject {
  Q_OBJECT

 public:
  LayoutMeasurementRecorder(QString measurements_file, QObject* parent = nullptr);

  // The group the next jobs run on: its device (the first chosen GPU's name) and dtype.
  void setGroup(const StudioSettings& settings);
  // Any backend event; "finished" ones are recorded.
  void onEvent(const QJsonObject& event);

 Q_SIGNALS:
  void recorded(const QString& key);
  void recordFailed(const QString& message);

 private:
  QString file_;
  QString device_name_ = QStringLiteral("cpu");
  QString dtype_ = QStringLiteral("float32");
};

}  // namespace cosmos3::ui
