#include "ui/presets/preset_store.h"

#include "core/errors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace cosmos3::ui {
namespace {

constexpr int kFormatVersion = 1;
constexpr qsizetype kMaxNameLength = 100;

// The job keys a preset keeps: how to generate, never what (prompt) or from what (inputs, seed,
// an action job's actions file).
const QStringList& general_keys() {
  static const QStringList keys{QStringLiteral("negative_prompt"),
                                QStringLiteral("num_frames"),
                                QStringLiteral("height"),
                                QStringLiteral("width"),
                                QStringLiteral("fps"),
                                QStringLiteral("steps"),
                                QStringLiteral("guidance_scale"),
                                QStringLiteral("flow_shift"),
                                QStringLiteral("use_system_prompt"),
                                QStringLiteral("condition_frame_indexes"),
                                QStringLiteral("condition_video_keep"),
                                QStringLiteral("action_mode"),
                                QStringLiteral("domain"),
                                QStringLiteral("chunk_size"),
                                QStringLiteral("resolution_tier"),
                                QStringLiteral("view_point")};
  return keys;
}

// Keys a transfer job holds only when they are set: a preset without one means "not set".
const QStringList& optional_transfer_keys() {
  static const QStringList keys{QStringLiteral("guidance_interval"),
                                QStringLiteral("control_guidance_interval")};
  return keys;
}

// Transfer: how the controls steer, how long chunks are and when each guidance acts, never the
// control videos or the seed video themselves.
const QStringList& transfer_keys() {
  static const QStringList keys =
      QStringList{QStringLiteral("control_guidance"), QStringLiteral("num_video_frames_per_chunk"),
                  QStringLiteral("num_conditional_frames"), QStringLiteral("edge_thresholds"),
                  QStringLiteral("blur_sigma")} +
      optional_transfer_keys();
  return keys;
}

const QStringList& kept_keys() {
  static const QStringList keys = general_keys() + transfer_keys();
  return keys;
}

[[noreturn]] void fail(const QString& message) { throw UserError(message.toStdString()); }

void check_name(const QString& name) {
  if (name.trimmed().isEmpty() || name != name.trimmed() || name.size() > kMaxNameLength ||
      name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')) ||
      name.startsWith(QLatin1Char('.'))) {
    fail(QStringLiteral("preset name \"%1\" cannot be used: give 1 to %2 characters without "
                        "slashes, not starting with a dot or a space")
             .arg(name)
             .arg(kMaxNameLength));
  }
}

}  // namespace

PresetStore::PresetStore(QString root) : root_(std::move(root)) {}

QString PresetStore::default_root() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
      .filePath(QStringLiteral("presets"));
}

QString PresetStore::mode_key(GenerationMode mode) {
  switch (mode) {
    case GenerationMode::kTextToImage:
      return QStringLiteral("text_to_image");
    case GenerationMode::kTextToVideo:
      return QStringLiteral("text_to_video");
    case GenerationMode::kImageToVideo:
      return QStringLiteral("image_to_video");
    case GenerationMode::kVideoToVideo:
      return QStringLiteral("video_to_video");
  }
  return {};
}

QJsonObject PresetStore::parameters_of(const QJsonObject& job) {
  QJsonObject parameters;
  for (const QString& key : kept_keys()) {
    if (job.contains(key)) parameters.insert(key, job.value(key));
  }
  return parameters;
}

QJsonObject PresetStore::applied_to(const QJsonObject& parameters, QJsonObject job) {
  // A job without controls is not a transfer job, and a transfer preset must not make it one.
  const bool transfer_job = job.contains(QStringLiteral("control"));
  if (transfer_job) {
    for (const QString& key : optional_transfer_keys()) job.remove(key);
  }
  for (auto it = parameters.begin(); it != parameters.end(); ++it) {
    if (!transfer_job && transfer_keys().contains(it.key())) continue;
    job.insert(it.key(), it.value());
  }
  return job;
}

QString PresetStore::path_of(GenerationMode mode, const QString& name) const {
  return QDir(root_).filePath(mode_key(mode) + QLatin1Char('/') + name + QStringLiteral(".json"));
}

QStringList PresetStore::names(GenerationMode mode) const {
  QStringList names;
  const QDir dir(QDir(root_).filePath(mode_key(mode)));
  for (const QFileInfo& file :
       dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
    names << file.completeBaseName();
  }
  return names;
}

bool PresetStore::contains(GenerationMode mode, const QString& name) const {
  return QFileInfo::exists(path_of(mode, name));
}

void PresetStore::write_preset(const QString& file, GenerationMode mode, const QString& name,
                               const QJsonObject& parameters) {
  QDir().mkpath(QFileInfo(file).absolutePath());
  QSaveFile out(file);
  const QJsonObject preset{{QStringLiteral("cosmos3_preset"), kFormatVersion},
                           {QStringLiteral("mode"), mode_key(mode)},
                           {QStringLiteral("name"), name},
                           {QStringLiteral("parameters"), parameters}};
  if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(preset).toJson()) < 0 ||
      !out.commit()) {
    fail(QStringLiteral("cannot write the preset file %1: %2").arg(file, out.errorString()));
  }
}

QJsonObject PresetStore::read_preset(const QString& file, GenerationMode mode) {
  QFile in(file);
  if (!in.open(QIODevice::ReadOnly)) {
    fail(QStringLiteral("cannot read the preset file %1: %2").arg(file, in.errorString()));
  }
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
  const QJsonObject preset = document.object();
  if (error.error != QJsonParseError::NoError || !document.isObject() ||
      preset.value(QStringLiteral("cosmos3_preset")).toInt() != kFormatVersion ||
      !preset.value(QStringLiteral("parameters")).isObject() ||
      !preset.value(QStringLiteral("name")).isString()) {
    fail(QStringLiteral("%1 is not a Cosmos3 Studio preset (a JSON object with "
                        "\"cosmos3_preset\": 1, \"name\" and \"parameters\")")
             .arg(file));
  }
  if (preset.value(QStringLiteral("mode")).toString() != mode_key(mode)) {
    fail(QStringLiteral("%1 is a preset for %2, not %3: import it with that mode chosen")
             .arg(file, preset.value(QStringLiteral("mode")).toString(), mode_key(mode)));
  }
  const QJsonObject parameters = preset.value(QStringLiteral("parameters")).toObject();
  for (auto it = parameters.begin(); it != parameters.end(); ++it) {
    if (!kept_keys().contains(it.key())) {
      fail(QStringLiteral("%1: \"%2\" is not a preset parameter; a preset holds %3")
               .arg(file, it.key(), kept_keys().join(QStringLiteral(", "))));
    }
  }
  return preset;
}

void PresetStore::save(GenerationMode mode, const QString& name, const QJsonObject& job) {
  check_name(name);
  write_preset(path_of(mode, name), mode, name, parameters_of(job));
}

QJsonObject PresetStore::load(GenerationMode mode, const QString& name) const {
  check_name(name);
  if (!contains(mode, name)) {
    fail(QStringLiteral("there is no %1 preset named \"%2\"").arg(display_name(mode), name));
  }
  return read_preset(path_of(mode, name), mode).value(QStringLiteral("parameters")).toObject();
}

void PresetStore::rename(GenerationMode mode, const QString& from, const QString& to) {
  check_name(to);
  const QJsonObject parameters = load(mode, from);
  if (from == to) return;
  if (contains(mode, to)) {
    fail(QStringLiteral("a %1 preset named \"%2\" exists already: delete it or choose another "
                        "name")
             .arg(display_name(mode), to));
  }
  write_preset(path_of(mode, to), mode, to, parameters);
  QFile::remove(path_of(mode, from));
}

void PresetStore::remove(GenerationMode mode, const QString& name) {
  check_name(name);
  if (!QFile::remove(path_of(mode, name))) {
    fail(QStringLiteral("cannot delete the %1 preset \"%2\": it does not exist or the folder "
                        "is read-only")
             .arg(display_name(mode), name));
  }
}

void PresetStore::exportTo(GenerationMode mode, const QString& name, const QString& file) const {
  write_preset(file, mode, name, load(mode, name));
}

QString PresetStore::importFrom(GenerationMode mode, const QString& file) {
  const QJsonObject preset = read_preset(file, mode);
  const QString name = preset.value(QStringLiteral("name")).toString();
  check_name(name);
  write_preset(path_of(mode, name), mode, name,
               preset.value(QStringLiteral("parameters")).toObject());
  return name;
}

}  // namespace cosmos3::ui
