#include "ui/settings/device_probe_runner.h"

#include <QFile>
#include <QProcess>
#include <QTimer>

#include <exception>

namespace cosmos3::ui {

DeviceProbeRunner::DeviceProbeRunner(QObject* parent) : QObject(parent) {}

void DeviceProbeRunner::start(const QString& worker_program) {
  if (process_) return;
  const QString simulated = qEnvironmentVariable("COSMOS3_STUDIO_DEVICES_JSON");
  if (!simulated.isEmpty()) {
    QFile file(simulated);
    const QByteArray report = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    // Answered from the event loop, as the real probe is, so callers see one behaviour.
    QTimer::singleShot(0, this, [this, report, simulated, opened = file.isOpen()] {
      if (!opened) {
        Q_EMIT probeFailed(tr("Cannot read %1 (COSMOS3_STUDIO_DEVICES_JSON): unset the variable "
                              "or point it at a device list")
                               .arg(simulated));
        return;
      }
      parse(report, simulated);
    });
    return;
  }
  process_ = new QProcess(this);
  connect(process_, &QProcess::finished, this, [this](int exit_code, QProcess::ExitStatus status) {
    const QByteArray report = process_->readAllStandardOutput();
    const QString errors = QString::fromUtf8(process_->readAllStandardError()).trimmed();
    process_->deleteLater();
    process_ = nullptr;
    if (status != QProcess::NormalExit || exit_code != 0) {
      Q_EMIT probeFailed(tr("The device probe (cosmos3-worker --probe-devices) failed: %1")
                             .arg(errors.isEmpty() ? tr("exit code %1").arg(exit_code) : errors));
      return;
    }
    parse(report, tr("cosmos3-worker --probe-devices"));
  });
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    const QString message = process_->errorString();
    process_->deleteLater();
    process_ = nullptr;
    Q_EMIT probeFailed(tr("Cannot start the device probe: %1. Set COSMOS3_WORKER to the "
                          "cosmos3-worker program.")
                           .arg(message));
  });
  process_->start(worker_program, {QStringLiteral("--probe-devices")});
}

void DeviceProbeRunner::parse(const QByteArray& report, const QString& source) {
  try {
    Q_EMIT devicesFound(parse_device_probe(report, source));
  } catch (const std::exception& error) {
    Q_EMIT probeFailed(QString::fromUtf8(error.what()));
  }
}

}  // namespace cosmos3::ui
