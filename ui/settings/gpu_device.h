#pragma once
// One GPU as `cosmos3-worker --probe-devices` reports it, and the parser of that report.

#include <QByteArray>
#include <QList>
#include <QString>

namespace cosmos3::ui {

struct GpuDevice {
  int index = 0;
  QString name;
  qint64 total_memory_bytes = 0;
  qint64 free_memory_bytes = 0;
  QString compute_capability;

  bool operator==(const GpuDevice&) const = default;
};

// Throws ConfigError naming `source` and the broken entry when `json` is not the probe's
// array of devices.
QList<GpuDevice> parse_device_probe(const QByteArray& json, const QString& source);

}  // namespace cosmos3::ui
