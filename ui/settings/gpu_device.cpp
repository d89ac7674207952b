#include "ui/settings/gpu_device.h"

#include "core/errors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace cosmos3::ui {

QList<GpuDevice> parse_device_probe(const QByteArray& json, const QString& source) {
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(json, &error);
  if (error.error != QJsonParseError::NoError || !document.isArray()) {
    throw ConfigError(source.toStdString() +
                      ": the device probe must print a JSON array of devices (" +
                      (error.error != QJsonParseError::NoError ? error.errorString().toStdString()
                                                               : std::string("not an array")) +
                      ")");
  }
  QList<GpuDevice> devices;
  for (const QJsonValue& value : document.array()) {
    const QJsonObject object = value.toObject();
    GpuDevice device;
    device.index = object.value(QStringLiteral("index")).toInt(-1);
    device.name = object.value(QStringLiteral("name")).toString();
    device.total_memory_bytes = object.value(QStringLiteral("total_memory_bytes")).toInteger(-1);
    device.free_memory_bytes = object.value(QStringLiteral("free_memory_bytes")).toInteger(-1);
    device.compute_capability = object.value(QStringLiteral("compute_capability")).toString();
    if (device.index < 0 || device.name.isEmpty() || device.total_memory_bytes <= 0 ||
        device.free_memory_bytes < 0) {
      throw ConfigError(source.toStdString() + ": device entry " +
                        QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString() +
                        " needs index, name, total_memory_bytes and free_memory_bytes");
    }
    devices.append(device);
  }
  return devices;
}

}  // namespace cosmos3::ui
