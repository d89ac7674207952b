#pragma once
// Lists the GPUs without touching CUDA in the studio's process: runs
// `cosmos3-worker --probe-devices` as a child process and parses its report when it ends.
// COSMOS3_STUDIO_DEVICES_JSON=FILE reads FILE instead (tests and screenshots simulate
// machines with it).

#include "ui/settings/gpu_device.h"

#include <QList>
#include <QObject>
#include <QString>

class QProcess;

namespace cosmos3::ui {

class DeviceProbeRunner : public QObject {
  Q_OBJECT

 public:
  explicit DeviceProbeRunner(QObject* parent = nullptr);

  // Answers with devicesFound or probeFailed; a second call while one runs is ignored.
  void start(const QString& worker_program);

 Q_SIGNALS:
  void devicesFound(const QList<cosmos3::ui::GpuDevice>& devices);
  void probeFailed(const QString& message);

 private:
  void parse(const QByteArray& report, const QString& source);

  QProcess* process_ = nullptr;
};

}  // namespace cosmos3::ui
