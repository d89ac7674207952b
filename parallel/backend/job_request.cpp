#include "parallel/backend/job_request.h"

#include "core/pipeline/step_precision.h"

#include <c10/core/ScalarType.h>

#include <set>
#include <string>
#include <vector>

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;

// What the group was started with; a job cannot change it.
const std::set<std::string>& group_keys() {
  static const std::set<std::string> keys{"model", "device", "dtype", "cfg_parallel",
                                          "tp",    "cp",     "help"};
  return keys;
}

std::string flag_of(const std::string& key) {
  std::string flag = "--" + key;
  for (char& character : flag) {
    if (character == '_') character = '-';
  }
  return flag;
}

std::string value_text(const std::string& key, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number_float()) return value.dump();
  if (value.is_array()) {
    // Guidance intervals are [LOW, HIGH] timesteps, any numbers; other arrays hold indexes.
    const bool interval = key.ends_with("_interval");
    std::string joined;
    for (const json& item : value) {
      if (interval ? !item.is_number() : !item.is_number_integer()) {
        throw app::UsageError("job field \"" + key + "\" takes " +
                              (interval ? "[LOW, HIGH] (two numbers)" : "an array of integers") +
                              ", got " + value.dump());
      }
      joined += (joined.empty() ? "" : ",") + item.dump();
    }
    return joined;
  }
  throw app::UsageError("job field \"" + key + "\" cannot be " + std::string(value.type_name()));
}

void append_control_flags(const json& value, std::vector<std::string>& arguments) {
  if (!value.is_object() || value.empty()) {
    throw app::UsageError(
        "job field \"control\" takes an object of hint to control video file, e.g. "
        "{\"edge\": \"edges.mp4\"}, got " +
        value.dump());
  }
  for (const auto& [hint, file] : value.items()) {
    arguments.emplace_back("--control");
    // null: a control made from "control_source", as `--control edge` without a file.
    if (file.is_null()) {
      arguments.push_back(hint);
      continue;
    }
    if (!file.is_string()) {
      throw app::UsageError("job field \"control\" maps hint \"" + hint +
                            "\" to a file path string (or null: made from \"control_source\"), "
                            "got " +
                            file.dump());
    }
    arguments.push_back(hint + "=" + file.get<std::string>());
  }
}

std::string dtype_name(c10::ScalarType dtype) {
  return dtype == c10::kBFloat16 ? "bfloat16" : "float32";
}

// FP8 where the group cannot run it, in the job's words: the CLI's message would name flags
// (--device, --dtype) that a job cannot change.
void check_job_precision(const json& job, const EngineSettings& group) {
  const auto found = job.find("precision");
  if (found == job.end() || *found != "fp8") return;
  const std::string blocker =
      pipeline::precision_blocker(model::Precision::kFp8, group.device, group.dtype);
  if (!blocker.empty()) {
    throw app::UsageError(
        "job field \"precision\": \"fp8\" runs only on a group with a CUDA device and dtype "
        "bfloat16, but " +
        blocker + ": send \"precision\": \"bf16\" (or restart the group on a GPU in bfloat16)");
  }
}

}  // namespace

app::GenerateOptions job_options(const json& job, const EngineSettings& group) {
  std::vector<std::string> arguments{"--model",  group.model_dir.string(),
                                     "--device", group.device.str(),
                                     "--dtype",  dtype_name(group.dtype)};
  check_job_precision(job, group);
  for (const auto& [key, value] : job.items()) {
    if (key == "preview_interval") continue;
    // A switch on the command line: true passes it, false leaves it out.
    if (key == "sound") {
      if (!value.is_boolean()) {
        throw app::UsageError("job field \"sound\" takes true or false, got " + value.dump());
      }
      if (value.get<bool>()) arguments.emplace_back("--sound");
      continue;
    }
    // One --control flag per hint: {"edge": "edges.mp4", "depth": "depth.mp4"}.
    if (key == "control") {
      append_control_flags(value, arguments);
      continue;
    }
    if (group_keys().count(key)) {
      throw app::UsageError("job field \"" + key +
                            "\" is a setting of the group, not of a job: restart the group with "
                            "the new value");
    }
    arguments.push_back(flag_of(key));
    arguments.push_back(value_text(key, value));
  }
  const std::vector<std::string_view> views(arguments.begin(), arguments.end());
  app::GenerateOptions options = app::parse_generate_options(views);
  // The CLI names its own flags; name the job's fields instead.
  options.seed_given = job.contains("seed");
  return options;
}

int64_t preview_interval_of(const json& job) {
  const auto found = job.find("preview_interval");
  if (found == job.end()) return 0;
  if (!found->is_number_integer() || found->get<int64_t>() < 0) {
    throw app::UsageError("job field \"preview_interval\" takes an integer >= 0 (0: no preview)");
  }
  return found->get<int64_t>();
}

}  // namespace cosmos3::backend
