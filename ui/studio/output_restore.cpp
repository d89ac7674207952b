#include "ui/studio/output_restore.h"

#include "core/errors.h"
#include "parallel/backend/generation_seal.h"
#include "ui/studio/action_metadata_restore.h"
#include "ui/studio/transfer_metadata_restore.h"

#ifdef COSMOS3_HAVE_MEDIA
#include "media/media_reader.h"
#endif

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <nlohmann/json.hpp>

namespace cosmos3::ui {
namespace {

[[noreturn]] void refuse(const QString& message) { throw UserError(message.toStdString()); }

nlohmann::json parse_object(const std::string& text, const QString& path, const QString& what) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    refuse(QStringLiteral("%1: %2 is not a JSON object, so it is not Cosmos3 Studio "
                          "metadata")
               .arg(path, what));
  }
  return json;
}

nlohmann::json metadata_of_json_file(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    refuse(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
  }
  return parse_object(file.readAll().toStdString(), path, QStringLiteral("the file"));
}

nlohmann::json metadata_of_video(const QString& path) {
#ifdef COSMOS3_HAVE_MEDIA
  const nlohmann::json comment =
      parse_object(media::read_comment(path.toStdString()), path, QStringLiteral("its comment"));
  if (!comment.contains("generation")) {
    refuse(QStringLiteral("%1 carries no Cosmos3 generation metadata: it was not made by "
                          "Cosmos3 Studio")
               .arg(path));
  }
  const nlohmann::json& generation = comment["generation"];
  return generation.is_string()
             ? parse_object(generation.get<std::string>(), path, QStringLiteral("its metadata"))
             : generation;
#else
  refuse(QStringLiteral("reading %1 needs the media module, which this build left out; drop "
                        "the generation.json beside it instead")
             .arg(path));
#endif
}

QJsonObject job_of(const nlohmann::json& metadata, const QString& path) {
  nlohmann::json job = nlohmann::json::object();
  for (const std::string& key : backend::sealed_parameter_keys()) {
    if (!metadata.contains(key) || metadata[key].is_null()) continue;
    // generation.json records the resolved step count; the job object's flag is --steps.
    job[key == "num_steps" ? "steps" : key] = metadata[key];
  }
  if (backend::made_sound(metadata)) job["sound"] = true;
  restore_action_keys(job, path.toStdString());
  restore_transfer_keys(job, path.toStdString());
  return QJsonDocument::fromJson(QByteArray::fromStdString(job.dump())).object();
}

}  // namespace

QJsonObject job_from_output(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  nlohmann::json metadata;
  if (suffix == QLatin1String("json")) {
    metadata = metadata_of_json_file(path);
  } else if (suffix == QLatin1String("mp4")) {
    metadata = metadata_of_video(path);
  } else if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg") ||
             suffix == QLatin1String("png") || suffix == QLatin1String("wav")) {
    refuse(QStringLiteral("%1: image and sound outputs carry no embedded metadata yet; drop the "
                          "generation.json beside it to restore its job")
               .arg(path));
  } else {
    refuse(QStringLiteral("%1 is not an output of Cosmos3 Studio: drop an MP4 it made or a "
                          "generation.json")
               .arg(path));
  }
  backend::check_parameters_seal(metadata, path.toStdString());
  if (!metadata.contains("prompt")) {
    refuse(QStringLiteral("%1 holds no prompt, so it restores no job").arg(path));
  }
  return job_of(metadata, path);
}

}  // namespace cosmos3::ui
