#include "core/pipeline/pipeline_folder.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace cosmos3::pipeline {
namespace {

using Json = nlohmann::json;

Json read_json(const std::filesystem::path& path) {
  std::ifstream stream(path);
  if (!stream) {
    throw ConfigError(path.string() + ": cannot be read");
  }
  try {
    return Json::parse(stream);
  } catch (const Json::exception& error) {
    throw ConfigError(path.string() + ": not valid JSON (" + error.what() + ")");
  }
}

template <typename Value>
void read_setting(const Json& index, const std::filesystem::path& source, const char* key,
                  Value& value) {
  if (!index.contains(key) || index[key].is_null()) {
    return;
  }
  try {
    value = index[key].get<Value>();
  } catch (const Json::exception&) {
    throw ConfigError(source.string() + ": '" + key + "' has the wrong type (" + index[key].dump() +
                      ")");
  }
}

// A component's folder: the name model_index.json lists it under, which diffusers saves as a
// subfolder of that name.
std::filesystem::path component_dir(const std::filesystem::path& root, const Json& index,
                                    const std::filesystem::path& index_path, const char* name,
                                    const char* fallback_name = nullptr) {
  for (const char* key : {name, fallback_name}) {
    if (key != nullptr && index.contains(key) && index[key].is_array()) {
      return root / key;
    }
  }
  throw ConfigError(index_path.string() + ": lists no '" + name +
                    "' component; a Cosmos3 pipeline folder needs transformer, scheduler, "
                    "text_tokenizer and vae");
}

void require_exists(const std::filesystem::path& path, const std::filesystem::path& index_path) {
  if (!std::filesystem::exists(path)) {
    throw ConfigError(path.string() + " is missing although " + index_path.string() +
                      " lists it; the download is incomplete");
  }
}

// diffusers lists an optional component it saved without as [null, null].
void read_sound_settings(const std::filesystem::path& root, const Json& index,
                         const std::filesystem::path& index_path, PipelineFolder& folder) {
  if (index.contains("sound_tokenizer") && index["sound_tokenizer"].is_array() &&
      !index["sound_tokenizer"].empty() && index["sound_tokenizer"][0].is_string()) {
    folder.sound_tokenizer_dir = root / "sound_tokenizer";
    require_exists(folder.sound_tokenizer_dir, index_path);
  }
  const std::filesystem::path transformer_config = folder.transformer_dir / "config.json";
  if (std::filesystem::exists(transformer_config)) {
    read_setting(read_json(transformer_config), transformer_config, "sound_gen",
                 folder.transformer_sound_gen);
  }
}

}  // namespace

PipelineFolder read_pipeline_folder(const std::filesystem::path& root) {
  const std::filesystem::path index_path = root / "model_index.json";
  if (!std::filesystem::exists(index_path)) {
    throw ConfigError(root.string() +
                      " holds no model_index.json: --model must name a diffusers "
                      "Cosmos3 pipeline folder (the one holding transformer/, "
                      "vae/, scheduler/ and text_tokenizer/)");
  }
  const Json index = read_json(index_path);
  PipelineFolder folder;
  folder.root = root;
  folder.transformer_dir = component_dir(root, index, index_path, "transformer");
  folder.scheduler_config =
      component_dir(root, index, index_path, "scheduler") / "scheduler_config.json";
  folder.text_tokenizer_dir = component_dir(root, index, index_path, "text_tokenizer", "tokenizer");
  folder.vae_dir = component_dir(root, index, index_path, "vae");
  for (const auto& path :
       {folder.transformer_dir, folder.scheduler_config, folder.text_tokenizer_dir}) {
    require_exists(path, index_path);
  }
  read_setting(index, index_path, "default_use_system_prompt", folder.default_use_system_prompt);
  read_setting(index, index_path, "use_native_flow_schedule", folder.use_native_flow_schedule);

  const std::filesystem::path vae_config = folder.vae_dir / "config.json";
  if (std::filesystem::exists(vae_config)) {
    const Json vae = read_json(vae_config);
    read_setting(vae, vae_config, "scale_factor_spatial", folder.vae_spatial_factor);
    read_setting(vae, vae_config, "scale_factor_temporal", folder.vae_temporal_factor);
  }

  read_sound_settings(root, index, index_path, folder);

  const std::filesystem::path modular_path = root / "modular_model_index.json";
  if (std::filesystem::exists(modular_path)) {
    const Json modular = read_json(modular_path);
    read_setting(modular, modular_path, "default_use_system_prompt",
                 folder.default_use_system_prompt);
    std::vector<double> sigmas;
    read_setting(modular, modular_path, "distilled_sigmas", sigmas);
    if (!sigmas.empty()) {
      folder.distilled_sigmas = std::move(sigmas);
    }
  }
  return folder;
}

}  // namespace cosmos3::pipeline
