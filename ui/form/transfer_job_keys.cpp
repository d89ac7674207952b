#include "ui/form/transfer_job_keys.h"

#include "core/pipeline/generation_request.h"
#include "core/pipeline/transfer_control_maps.h"
#include "ui/form/form_parsing.h"

#include <QJsonArray>
#include <QJsonValue>

namespace cosmos3::ui {
namespace {

// Whole numbers as JSON integers, as the rest of the job writes them.
QJsonValue json_number(double value) {
  const auto whole = static_cast<qint64>(value);
  return static_cast<double>(whole) == value ? QJsonValue(whole) : QJsonValue(value);
}

[[noreturn]] void refuse(const QString& key, const char* expected) {
  throw pipeline::RequestError("job key '" + key.toStdString() + "' must be " + expected);
}

// [LOW, HIGH] whole timesteps 0..1000, the range the panel's fields hold: a job the panel could
// not show exactly is refused rather than rounded.
std::pair<int, int> interval_of(const QJsonValue& value, const QString& key) {
  const QJsonArray pair = value.toArray();
  const auto is_timestep = [](const QJsonValue& item) {
    return item.isDouble() && static_cast<double>(item.toInt(-1)) == item.toDouble() &&
           item.toInt() >= 0 && item.toInt() <= 1000;
  };
  if (!value.isArray() || pair.size() != 2 || !is_timestep(pair.at(0)) ||
      !is_timestep(pair.at(1))) {
    refuse(key, "[LOW, HIGH], two whole timesteps from 0 to 1000 (e.g. [0, 500])");
  }
  return {pair.at(0).toInt(), pair.at(1).toInt()};
}

QString text_of(const QJsonValue& value, const QString& key) {
  if (!value.isString()) refuse(key, "a string");
  return value.toString();
}

int whole_of(const QJsonValue& value, const QString& key) {
  if (!value.isDouble() || static_cast<double>(value.toInt(-1)) != value.toDouble()) {
    refuse(key, "a whole number");
  }
  return value.toInt();
}

void read_controls(const QJsonValue& value, TransferValues& transfer) {
  const QString key = QStringLiteral("control");
  if (!value.isObject() || value.toObject().isEmpty()) {
    refuse(key, "an object of hint to control video file, e.g. {\"edge\": \"edges.mp4\"}");
  }
  const QJsonObject controls = value.toObject();
  for (auto it = controls.begin(); it != controls.end(); ++it) {
    const pipeline::ControlHint hint = pipeline::parse_control_hint(it.key().toStdString());
    ControlChoice choice;
    if (it.value().isNull() && can_be_made(hint)) {
      choice.origin = ControlOrigin::kMadeFromSource;
    } else {
      choice.origin = ControlOrigin::kFile;
      choice.path = text_of(it.value(), key + QLatin1Char('.') + it.key());
    }
    transfer.controls.insert(hint, choice);
  }
}

void read_made_settings(const QJsonObject& job, TransferValues& transfer) {
  if (job.contains(QStringLiteral("control_source"))) {
    transfer.control_source =
        text_of(job.value(QStringLiteral("control_source")), QStringLiteral("control_source"));
  }
  if (job.contains(QStringLiteral("edge_thresholds"))) {
    const QString key = QStringLiteral("edge_thresholds");
    const QStringList parts = text_of(job.value(key), key).split(QLatin1Char(','));
    if (parts.size() != 2) refuse(key, "\"LOW,HIGH\" (e.g. \"100,200\")");
    transfer.edge_low_threshold_text = parts.at(0).trimmed();
    transfer.edge_high_threshold_text = parts.at(1).trimmed();
  }
  if (job.contains(QStringLiteral("blur_sigma"))) {
    const QJsonValue sigma = job.value(QStringLiteral("blur_sigma"));
    if (!sigma.isDouble()) refuse(QStringLiteral("blur_sigma"), "a number");
    transfer.blur_sigma_text = decimal_text(sigma.toDouble());
  }
}

void read_guidance_extras(const QJsonObject& job, TransferValues& transfer) {
  for (const auto& [key, field] :
       {std::pair{QStringLiteral("guidance_interval"), &TransferValues::guidance_interval},
        std::pair{QStringLiteral("control_guidance_interval"),
                  &TransferValues::control_guidance_interval}}) {
    if (job.contains(key)) transfer.*field = interval_of(job.value(key), key);
  }
  const QString count_key = QStringLiteral("num_first_chunk_conditional_frames");
  if (job.contains(QStringLiteral("video_path"))) {
    transfer.seed_video =
        text_of(job.value(QStringLiteral("video_path")), QStringLiteral("video_path"));
  } else if (job.contains(count_key)) {
    throw pipeline::RequestError(
        "job key 'num_first_chunk_conditional_frames' counts frames of the seed video: add "
        "'video_path' or leave it out");
  }
  if (job.contains(count_key)) {
    transfer.num_first_chunk_conditional_frames = whole_of(job.value(count_key), count_key);
    if (transfer.num_first_chunk_conditional_frames < 1) {
      refuse(count_key, "at least 1 (0 would leave 'video_path' unused)");
    }
  }
}

QJsonArray interval_json(const std::pair<int, int>& interval) {
  return QJsonArray{interval.first, interval.second};
}

}  // namespace

TransferValues default_transfer_values() {
  TransferValues transfer;
  const pipeline::EdgeMapSettings edge;
  transfer.edge_low_threshold_text = decimal_text(edge.low_threshold);
  transfer.edge_high_threshold_text = decimal_text(edge.high_threshold);
  transfer.blur_sigma_text = decimal_text(pipeline::BlurMapSettings{}.sigma);
  transfer.num_conditional_frames = 1;
  apply_transfer_preset({pipeline::control_hints_in_order().front()}, transfer);
  return transfer;
}

void apply_transfer_preset(const std::vector<pipeline::ControlHint>& hints,
                           TransferValues& transfer) {
  if (hints.empty()) return;
  const pipeline::TransferPreset& preset = pipeline::transfer_preset_for(hints);
  transfer.control_guidance_text = decimal_text(preset.control_guidance);
  transfer.num_video_frames_per_chunk = preset.num_frames;
}

const QStringList& transfer_job_keys() {
  static const QStringList keys{QStringLiteral("control"),
                                QStringLiteral("control_source"),
                                QStringLiteral("edge_thresholds"),
                                QStringLiteral("blur_sigma"),
                                QStringLiteral("control_guidance"),
                                QStringLiteral("num_video_frames_per_chunk"),
                                QStringLiteral("num_conditional_frames"),
                                QStringLiteral("guidance_interval"),
                                QStringLiteral("control_guidance_interval"),
                                QStringLiteral("num_first_chunk_conditional_frames")};
  return keys;
}

void insert_transfer_keys(const TransferValues& transfer, QJsonObject& job) {
  for (const char* key :
       {"vision_path", "video_path", "condition_frame_indexes", "condition_video_keep"}) {
    job.remove(QLatin1String(key));
  }
  QJsonObject controls;
  for (const pipeline::ControlHint hint : transfer.hints()) {
    const ControlChoice& control = transfer.controls.value(hint);
    controls.insert(hint_key(hint), control.origin == ControlOrigin::kMadeFromSource
                                        ? QJsonValue(QJsonValue::Null)
                                        : QJsonValue(control.path));
  }
  job.insert(QStringLiteral("control"), controls);
  if (transfer.makes_any()) {
    job.insert(QStringLiteral("control_source"), transfer.control_source);
  }
  if (transfer.makes(pipeline::ControlHint::kEdge)) {
    job.insert(QStringLiteral("edge_thresholds"),
               decimal_text(*parse_decimal(transfer.edge_low_threshold_text)) + QLatin1Char(',') +
                   decimal_text(*parse_decimal(transfer.edge_high_threshold_text)));
  }
  if (transfer.makes(pipeline::ControlHint::kBlur)) {
    job.insert(QStringLiteral("blur_sigma"), json_number(*parse_decimal(transfer.blur_sigma_text)));
  }
  job.insert(QStringLiteral("control_guidance"),
             json_number(*parse_decimal(transfer.control_guidance_text)));
  job.insert(QStringLiteral("num_video_frames_per_chunk"), transfer.num_video_frames_per_chunk);
  job.insert(QStringLiteral("num_conditional_frames"), transfer.num_conditional_frames);
  if (transfer.guidance_interval) {
    job.insert(QStringLiteral("guidance_interval"), interval_json(*transfer.guidance_interval));
  }
  if (transfer.control_guidance_interval) {
    job.insert(QStringLiteral("control_guidance_interval"),
               interval_json(*transfer.control_guidance_interval));
  }
  if (!transfer.seed_video.isEmpty()) {
    job.insert(QStringLiteral("video_path"), transfer.seed_video);
    job.insert(QStringLiteral("num_first_chunk_conditional_frames"),
               transfer.num_first_chunk_conditional_frames);
  }
}

TransferValues transfer_values_of(const QJsonObject& job,
                                  const CheckpointCapabilities& capabilities) {
  TransferValues transfer = default_transfer_values();
  if (!job.contains(QStringLiteral("control"))) {
    for (const QString& key : transfer_job_keys()) {
      if (job.contains(key)) {
        throw pipeline::RequestError("job key '" + key.toStdString() +
                                     "' belongs to a transfer job, which this job is not: it "
                                     "has no 'control'");
      }
    }
    return transfer;
  }
  if (!capabilities.offers_transfer()) {
    throw pipeline::RequestError(
        "the job is a transfer job, which this checkpoint (or this build) cannot run: " +
        capabilities.transfer_problem().toStdString());
  }
  read_controls(job.value(QStringLiteral("control")), transfer);
  apply_transfer_preset(transfer.hints(), transfer);
  read_made_settings(job, transfer);
  if (job.contains(QStringLiteral("control_guidance"))) {
    const QJsonValue guidance = job.value(QStringLiteral("control_guidance"));
    if (!guidance.isDouble()) refuse(QStringLiteral("control_guidance"), "a number");
    transfer.control_guidance_text = decimal_text(guidance.toDouble());
  }
  for (const auto& [key, field] : {std::pair{QStringLiteral("num_video_frames_per_chunk"),
                                             &TransferValues::num_video_frames_per_chunk},
                                   std::pair{QStringLiteral("num_conditional_frames"),
                                             &TransferValues::num_conditional_frames}}) {
    if (job.contains(key)) transfer.*field = whole_of(job.value(key), key);
  }
  read_guidance_extras(job, transfer);
  return transfer;
}

}  // namespace cosmos3::ui
