#include "ui/form/job_objects.h"

#include "core/pipeline/generation_request.h"
#include "ui/form/form_parsing.h"
#include "ui/form/transfer_job_keys.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cosmos3::ui {
namespace {

constexpr int64_t kMaxSeed = std::numeric_limits<int64_t>::max();

// Whole numbers are stored as JSON integers, which is how they read back from a job's JSON
// text, so a job compares equal to itself after a trip through the queue's storage.
QJsonValue json_number(double value) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::abs(value) < kExactIntegerLimit) {
    return static_cast<qint64>(value);
  }
  return value;
}

// An action job's frames and size come from its chunk and tier (the worker refuses
// num_frames, height and width with an action mode), and it conditions on its whole input.
void insert_action_keys(const ActionValues& action, QJsonObject& job) {
  for (const char* key :
       {"num_frames", "height", "width", "condition_frame_indexes", "condition_video_keep"}) {
    job.remove(QLatin1String(key));
  }
  job.insert(QStringLiteral("action_mode"), action_mode_key(action.mode));
  job.insert(QStringLiteral("domain"), action.domain);
  job.insert(QStringLiteral("chunk_size"), action.chunk_size);
  job.insert(QStringLiteral("resolution_tier"), action.resolution_tier);
  job.insert(QStringLiteral("view_point"), action.view_point);
  if (action.mode == ActionModeChoice::kForwardDynamics) {
    job.insert(QStringLiteral("actions"), action.actions_path);
  }
}

QJsonObject job_without_seed(const FormValues& values, const QString& prompt,
                             const CheckpointCapabilities& capabilities) {
  const pipeline::GenerationRequest request = engine_request_of(values, prompt, capabilities);
  QJsonObject job{
      {QStringLiteral("prompt"), prompt},
      {QStringLiteral("negative_prompt"), values.negative_prompt},
      {QStringLiteral("num_frames"), request.num_frames},
      {QStringLiteral("height"), request.height},
      {QStringLiteral("width"), request.width},
      {QStringLiteral("fps"), json_number(request.fps)},
      {QStringLiteral("steps"), static_cast<qint64>(*request.num_steps)},
      {QStringLiteral("guidance_scale"), json_number(*request.guidance_scale)},
      {QStringLiteral("use_system_prompt"), values.use_system_prompt},
  };
  if (request.flow_shift) {
    job.insert(QStringLiteral("flow_shift"), json_number(*request.flow_shift));
  }
  // A switch, as on the command line: silent jobs leave it out, as they did before sound.
  if (request.enable_sound) {
    job.insert(QStringLiteral("sound"), true);
  }
  if (values.mode == GenerationMode::kImageToVideo) {
    job.insert(QStringLiteral("vision_path"), values.media_path);
  } else if (values.mode == GenerationMode::kVideoToVideo) {
    job.insert(QStringLiteral("video_path"), values.media_path);
    QJsonArray indexes;
    for (const int64_t index :
         parse_index_list(values.condition_frame_indexes_text).value_or(std::vector<int64_t>{})) {
      indexes.push_back(static_cast<qint64>(index));
    }
    job.insert(QStringLiteral("condition_frame_indexes"), indexes);
    job.insert(QStringLiteral("condition_video_keep"),
               values.keep_last_frames ? QStringLiteral("last") : QStringLiteral("first"));
  }
  if (values.action.enabled()) {
    insert_action_keys(values.action, job);
  }
  if (values.transfer.enabled()) {
    insert_transfer_keys(values.transfer, job);
  }
  return job;
}

[[noreturn]] void reject_key(const QString& key, const QString& expected, const QJsonValue& value) {
  QString shown = value.isString() ? value.toString() : QString();
  if (!value.isString()) {
    shown = value.isBool()     ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
            : value.isDouble() ? decimal_text(value.toDouble())
                               : QStringLiteral("a JSON array, object or null");
  }
  throw pipeline::RequestError("job key '" + key.toStdString() + "' must be " +
                               expected.toStdString() + ", got " + shown.toStdString());
}

QString string_of(const QJsonObject& job, const QString& key) {
  const QJsonValue value = job.value(key);
  if (!value.isString()) {
    reject_key(key, QStringLiteral("a string"), value);
  }
  return value.toString();
}

double number_of(const QJsonObject& job, const QString& key) {
  const QJsonValue value = job.value(key);
  if (!value.isDouble()) {
    reject_key(key, QStringLiteral("a number"), value);
  }
  return value.toDouble();
}

int64_t integer_of(const QJsonObject& job, const QString& key) {
  const double number = number_of(job, key);
  const qint64 integer = job.value(key).toInteger(-1);
  if (static_cast<double>(integer) != number) {
    reject_key(key, QStringLiteral("a whole number"), job.value(key));
  }
  return integer;
}

int int_of(const QJsonObject& job, const QString& key) {
  const int64_t integer = integer_of(job, key);
  if (integer < std::numeric_limits<int>::min() || integer > std::numeric_limits<int>::max()) {
    reject_key(key, QStringLiteral("a whole number of int range"), job.value(key));
  }
  return static_cast<int>(integer);
}

void check_keys(const QJsonObject& job) {
  static const QSet<QString> kKnown{"prompt",
                                    "negative_prompt",
                                    "num_frames",
                                    "height",
                                    "width",
                                    "fps",
                                    "steps",
                                    "guidance_scale",
                                    "flow_shift",
                                    "seed",
                                    "use_system_prompt",
                                    "sound",
                                    "vision_path",
                                    "video_path",
                                    "condition_frame_indexes",
                                    "condition_video_keep",
                                    "action_mode",
                                    "domain",
                                    "chunk_size",
                                    "resolution_tier",
                                    "view_point",
                                    "actions",
                                    "output_dir",
                                    "output_latents",
                                    "preview_interval"};
  for (auto it = job.begin(); it != job.end(); ++it) {
    if (!kKnown.contains(it.key()) && !transfer_job_keys().contains(it.key())) {
      throw pipeline::RequestError("job key '" + it.key().toStdString() +
                                   "' is not part of the job protocol");
    }
  }
}

GenerationMode mode_of(const QJsonObject& job, const CheckpointCapabilities& capabilities) {
  GenerationMode mode = GenerationMode::kTextToVideo;
  if (job.contains(QStringLiteral("vision_path"))) {
    mode = GenerationMode::kImageToVideo;
  } else if (job.contains(QStringLiteral("video_path")) &&
             !job.contains(QStringLiteral("control"))) {  // a transfer job's is its seed video
    mode = GenerationMode::kVideoToVideo;
  } else if (!job.contains(QStringLiteral("control")) &&  // a transfer job's cap is any count
             job.contains(QStringLiteral("num_frames")) &&
             int_of(job, QStringLiteral("num_frames")) == 1) {
    mode = GenerationMode::kTextToImage;
  }
  if (!capabilities.offers(mode)) {
    throw pipeline::RequestError("the job asks for " + display_name(mode).toLower().toStdString() +
                                 ", which this checkpoint (or this build) cannot do");
  }
  return mode;
}

void read_conditioning(const QJsonObject& job, FormValues& values) {
  if (values.mode == GenerationMode::kImageToVideo) {
    values.media_path = string_of(job, QStringLiteral("vision_path"));
  } else if (values.mode == GenerationMode::kVideoToVideo) {
    values.media_path = string_of(job, QStringLiteral("video_path"));
  }
  if (job.contains(QStringLiteral("condition_frame_indexes"))) {
    const QJsonValue value = job.value(QStringLiteral("condition_frame_indexes"));
    const auto is_whole = [](const QJsonValue& item) {
      return item.isDouble() && static_cast<double>(item.toInteger(-1)) == item.toDouble();
    };
    const QJsonArray items = value.toArray();
    if (!value.isArray() || !std::all_of(items.begin(), items.end(), is_whole)) {
      reject_key(QStringLiteral("condition_frame_indexes"),
                 QStringLiteral("an array of whole numbers"), value);
    }
    std::vector<int64_t> indexes;
    for (const QJsonValue item : items) {
      indexes.push_back(item.toInteger());
    }
    values.condition_frame_indexes_text = index_list_text(indexes);
  }
  if (job.contains(QStringLiteral("condition_video_keep"))) {
    const QString keep = string_of(job, QStringLiteral("condition_video_keep"));
    if (keep != QStringLiteral("first") && keep != QStringLiteral("last")) {
      reject_key(QStringLiteral("condition_video_keep"), QStringLiteral("\"first\" or \"last\""),
                 job.value(QStringLiteral("condition_video_keep")));
    }
    values.keep_last_frames = keep == QStringLiteral("last");
  }
}

ActionModeChoice action_mode_of(const QJsonObject& job) {
  const QString key = string_of(job, QStringLiteral("action_mode"));
  for (const ActionModeChoice mode : {ActionModeChoice::kPolicy, ActionModeChoice::kForwardDynamics,
                                      ActionModeChoice::kInverseDynamics}) {
    if (key == action_mode_key(mode)) {
      return mode;
    }
  }
  reject_key(QStringLiteral("action_mode"),
             QStringLiteral("\"policy\", \"forward_dynamics\" or \"inverse_dynamics\""),
             job.value(QStringLiteral("action_mode")));
}

// The action panel's values; the settings of an action job without its mode are refused, as
// the worker refuses them.
void read_action(const QJsonObject& job, const CheckpointCapabilities& capabilities,
                 FormValues& values) {
  const auto has = [&](const char* key) { return job.contains(QLatin1String(key)); };
  if (!has("action_mode")) {
    for (const char* key : {"domain", "chunk_size", "resolution_tier", "view_point", "actions"}) {
      if (has(key)) {
        throw pipeline::RequestError(std::string("job key '") + key +
                                     "' belongs to an action job, which this job is not: it has "
                                     "no 'action_mode'");
      }
    }
    return;
  }
  if (!capabilities.offers_actions()) {
    throw pipeline::RequestError(
        "the job is an action job, which this checkpoint (or this build) cannot run: it has no "
        "action heads");
  }
  ActionValues& action = values.action;
  action.mode = action_mode_of(job);
  if (has("domain")) action.domain = string_of(job, QStringLiteral("domain"));
  if (has("chunk_size")) action.chunk_size = int_of(job, QStringLiteral("chunk_size"));
  if (has("resolution_tier")) {
    action.resolution_tier = int_of(job, QStringLiteral("resolution_tier"));
  }
  if (has("view_point")) action.view_point = string_of(job, QStringLiteral("view_point"));
  if (has("actions")) action.actions_path = string_of(job, QStringLiteral("actions"));
}

}  // namespace

QList<QJsonObject> make_job_objects(const FormValues& values,
                                    const CheckpointCapabilities& capabilities) {
  const int64_t first_seed = parse_seed(values.seed_text).value_or(0);
  QList<QJsonObject> jobs;
  for (const QString& prompt : prompts_of(values)) {
    const QJsonObject job = job_without_seed(values, prompt, capabilities);
    for (int member = 0; member < values.num_jobs_per_prompt; ++member) {
      QJsonObject batch_job = job;
      // Random seeds stay below 2^32, as cosmos3-generate draws them.
      const int64_t seed = values.seed_mode == SeedMode::kRandom
                               ? static_cast<int64_t>(QRandomGenerator::global()->generate())
                               : (first_seed + member) & kMaxSeed;
      batch_job.insert(QStringLiteral("seed"), static_cast<qint64>(seed));
      jobs.push_back(batch_job);
    }
  }
  return jobs;
}

FormValues form_values_from_job(const QJsonObject& job,
                                const CheckpointCapabilities& capabilities) {
  check_keys(job);
  FormValues values;
  values.mode = mode_of(job, capabilities);
  const ModeDefaults defaults = capabilities.defaults(values.mode);
  const auto has = [&](const char* key) { return job.contains(QLatin1String(key)); };
  values.prompt = has("prompt") ? string_of(job, QStringLiteral("prompt")) : QString();
  values.negative_prompt =
      has("negative_prompt") ? string_of(job, QStringLiteral("negative_prompt")) : QString();
  values.num_frames =
      has("num_frames") ? int_of(job, QStringLiteral("num_frames")) : defaults.num_frames;
  values.height = has("height") ? int_of(job, QStringLiteral("height")) : defaults.height;
  values.width = has("width") ? int_of(job, QStringLiteral("width")) : defaults.width;
  values.fps_text = decimal_text(has("fps") ? number_of(job, QStringLiteral("fps")) : defaults.fps);
  values.num_steps = has("steps") ? int_of(job, QStringLiteral("steps")) : defaults.num_steps;
  values.guidance_scale_text =
      decimal_text(has("guidance_scale") ? number_of(job, QStringLiteral("guidance_scale"))
                                         : defaults.guidance_scale);
  if (has("flow_shift")) {
    values.flow_shift_text = decimal_text(number_of(job, QStringLiteral("flow_shift")));
  } else if (defaults.flow_shift) {
    values.flow_shift_text = decimal_text(*defaults.flow_shift);
  }
  if (has("use_system_prompt")) {
    const QJsonValue value = job.value(QStringLiteral("use_system_prompt"));
    if (!value.isBool()) {
      reject_key(QStringLiteral("use_system_prompt"), QStringLiteral("true or false"), value);
    }
    values.use_system_prompt = value.toBool();
  } else {
    values.use_system_prompt = defaults.use_system_prompt;
  }
  if (has("sound")) {
    const QJsonValue value = job.value(QStringLiteral("sound"));
    if (!value.isBool()) {
      reject_key(QStringLiteral("sound"), QStringLiteral("true or false"), value);
    }
    values.sound = value.toBool();
    if (values.sound && !capabilities.offers_sound()) {
      throw pipeline::RequestError("the job asks for sound, which this checkpoint cannot make: " +
                                   capabilities.sound_problem().toStdString());
    }
  }
  values.seed_mode = SeedMode::kFixed;
  if (has("seed")) {
    const int64_t seed = integer_of(job, QStringLiteral("seed"));
    if (seed < 0) {
      reject_key(QStringLiteral("seed"), QStringLiteral("a whole number >= 0"),
                 job.value(QStringLiteral("seed")));
    }
    values.seed_text = QString::number(seed);
  }
  read_conditioning(job, values);
  read_action(job, capabilities, values);
  values.transfer = transfer_values_of(job, capabilities);
  return values;
}

}  // namespace cosmos3::ui
