#include "ui/studio/layout_measurement_recorder.h"

#include "core/config/json_config_reader.h"
#include "parallel/engine/layout_measurements.h"
#include "ui/settings/layout_choice_inputs.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace cosmos3::ui {
namespace {

// One writer at a time: two jobs may finish while the file is being rewritten.
QMutex& file_mutex() {
  static QMutex mutex;
  return mutex;
}

struct Finished {
  QString generation_json;
  double seconds_per_step = 0;
  qint64 peak_bytes = 0;
};

QString record(const QString& file, const Finished& finished, const QString& device_name,
               const QString& dtype) {
  const std::filesystem::path path = finished.generation_json.toStdString();
  const std::string text =
      config::read_config_text(path, "the worker writes it beside every output");
  // Parsed here for its checked errors; PlannedJob reads the same text as Qt JSON.
  const config::Json generation = config::parse_json_object(text, path.string());
  LayoutChoiceInputs inputs;
  inputs.model = ModelFolderSummary::read(generation.at("model").get<std::string>());
  // The passes the job ran, as its generation.json tells: a transfer job's three passes must
  // not stand in for a guided video job's two, nor an unguided job's one.
  inputs.job = PlannedJob::of(QJsonDocument::fromJson(QByteArray::fromStdString(text)).object());
  inputs.dtype = dtype;
  const config::Json& layout = generation.at("parallel");
  const parallel::ParallelDegrees degrees{layout.at("cfg").get<int>(), layout.at("tp").get<int>(),
                                          layout.at("cp").get<int>()};
  const std::string key = parallel::LayoutMeasurements::key(
      inputs.model.config, degrees, inputs.workload(), device_name.toStdString());
  parallel::LayoutMeasurement measurement;
  if (finished.seconds_per_step > 0) measurement.seconds_per_step = finished.seconds_per_step;
  if (finished.peak_bytes > 0) measurement.peak_bytes = finished.peak_bytes;
  const QMutexLocker lock(&file_mutex());
  parallel::LayoutMeasurements table = parallel::LayoutMeasurements::load(file.toStdString());
  table.record(key, measurement);
  table.save(file.toStdString());
  return QString::fromStdString(key);
}

}  // namespace

LayoutMeasurementRecorder::LayoutMeasurementRecorder(QString measurements_file, QObject* parent)
    : QObject(parent), file_(std::move(measurements_file)) {}

void LayoutMeasurementRecorder::setGroup(const StudioSettings& settings) {
  // As the settings dialog names the device when it looks measurements up.
  const bool on_gpus = settings.device == QLatin1String("cuda");
  device_name_ = !on_gpus                      ? QStringLiteral("cpu")
                 : settings.gpu_name.isEmpty() ? QStringLiteral("cuda")
                                               : settings.gpu_name;
  dtype_ = settings.dtype;
}

void LayoutMeasurementRecorder::onEvent(const QJsonObject& event) {
  if (event.value(QStringLiteral("type")).toString() != QLatin1String("finished")) return;
  const QJsonArray outputs = event.value(QStringLiteral("outputs")).toArray();
  const int num_steps = event.value(QStringLiteral("num_steps_done")).toInt();
  if (outputs.isEmpty() || num_steps <= 0) return;
  Finished finished;
  finished.generation_json =
      QFileInfo(outputs.first().toString()).dir().filePath(QStringLiteral("generation.json"));
  finished.seconds_per_step = event.value(QStringLiteral("seconds"))
                                  .toObject()
                                  .value(QStringLiteral("denoise"))
                                  .toDouble() /
                              num_steps;
  for (const QJsonValue& peak : event.value(QStringLiteral("peak_memory_bytes")).toArray()) {
    finished.peak_bytes = std::max(finished.peak_bytes, peak.toInteger());
  }
  auto* watcher = new QFutureWatcher<QString>(this);
  connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
    watcher->deleteLater();
    try {
      Q_EMIT recorded(watcher->result());
    } catch (const std::exception& error) {
      Q_EMIT recordFailed(
          tr("The layout measurement was not stored: %1").arg(QString::fromUtf8(error.what())));
    }
  });
  watcher->setFuture(
      QtConcurrent::run([file = file_, finished, device = device_name_, dtype = dtype_] {
        return record(file, finished, device, dtype);
      }));
}

}  // namespace cosmos3::ui
