#include "parallel/engine/layout_measurements.h"

#include "core/config/json_config_reader.h"
#include "core/errors.h"

#include <fstream>

namespace cosmos3::parallel {

std::string LayoutMeasurements::key(const model::TransformerConfig& config,
                                    const ParallelDegrees& degrees, const LayoutWorkload& workload,
                                    const std::string& device_name) {
  // Guided vision jobs keep the key they had before other kinds were told apart.
  const std::string kind = describe_job_kind(workload);
  const std::string job_kind = kind.empty() ? std::string() : " | " + kind;
  return "h" + std::to_string(config.hidden_size) + " l" +
         std::to_string(config.num_hidden_layers) + " q" +
         std::to_string(config.num_attention_heads) + " kv" +
         std::to_string(config.num_key_value_heads) + " i" +
         std::to_string(config.intermediate_size) + " | " + degrees.describe() + " | " +
         std::to_string(workload.num_generation_tokens) + " tokens " +
         std::string(c10::toString(workload.dtype)) + " | " + device_name + job_kind;
}

LayoutMeasurements LayoutMeasurements::load(const std::filesystem::path& file) {
  LayoutMeasurements table;
  if (!std::filesystem::exists(file)) return table;
  const config::Json json = config::parse_json_object(
      config::read_config_text(file, "the studio writes it after each finished job"),
      file.string());
  for (const auto& [key, value] : json.items()) {
    if (!value.is_object()) {
      throw ConfigError(file.string() + ": entry '" + key +
                        "' must be an object; delete the file to start a new table");
    }
    const config::JsonConfigReader reader(value, file.string() + " [" + key + "]");
    LayoutMeasurement measurement;
    if (reader.has("seconds_per_step")) {
      double seconds = 0;
      reader.read("seconds_per_step", seconds);
      measurement.seconds_per_step = seconds;
    }
    if (reader.has("peak_bytes")) {
      int64_t bytes = 0;
      reader.read("peak_bytes", bytes);
      measurement.peak_bytes = bytes;
    }
    table.entries_[key] = measurement;
  }
  return table;
}

void LayoutMeasurements::save(const std::filesystem::path& file) const {
  config::Json json = config::Json::object();
  for (const auto& [key, measurement] : entries_) {
    config::Json entry = config::Json::object();
    if (measurement.seconds_per_step) entry["seconds_per_step"] = *measurement.seconds_per_step;
    if (measurement.peak_bytes) entry["peak_bytes"] = *measurement.peak_bytes;
    json[key] = entry;
  }
  std::filesystem::create_directories(file.parent_path());
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json.dump(2) << '\n';
    if (!out) throw UserError("cannot write " + temporary.string() + ": is the disk full?");
  }
  std::filesystem::rename(temporary, file);
}

std::optional<LayoutMeasurement> LayoutMeasurements::find(const std::string& key) const {
  const auto found = entries_.find(key);
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

void LayoutMeasurements::record(const std::string& key, const LayoutMeasurement& measurement) {
  LayoutMeasurement& entry = entries_[key];
  if (measurement.seconds_per_step) entry.seconds_per_step = measurement.seconds_per_step;
  if (measurement.peak_bytes) entry.peak_bytes = measurement.peak_bytes;
}

}  // namespace cosmos3::parallel
