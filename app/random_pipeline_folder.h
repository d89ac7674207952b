#pragma once
// A diffusers Cosmos3 pipeline folder with random weights, for the tiny and the full-size
// random checkpoints of cosmos3-tool. The loaders pick the tensors (through a recording
// source), so the files hold exactly what the configs call for; the folder is written beside
// its final name and renamed, so an interrupted run leaves no half checkpoint.

#include "core/model/transformer_config.h"
#include "core/sound/sound_tokenizer_config.h"
#include "core/vae/vae_config.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace cosmos3::tool {

struct RandomPipelineFolder {
  model::TransformerConfig transformer;
  std::string transformer_config_json;  // written as the folder's transformer/config.json
  vae::VaeConfig vae;
  std::string vae_config_json;
  std::string scheduler_config_json;
  std::string model_index_json;
  // A sound_tokenizer/ folder (decoder weights only) when set; its seed is seed + 2.
  std::optional<sound::SoundTokenizerConfig> sound_tokenizer;
  std::string sound_tokenizer_config_json;
  c10::ScalarType dtype = c10::kFloat;
  c10::Device device = c10::Device(c10::kCPU);  // where the random numbers are drawn
  uint64_t seed = 0;                            // the VAE's is seed + 1
};

// Throws UserError when `root` exists or cannot be written. The tokenizer is the tiny one.
void write_random_pipeline_folder(const std::filesystem::path& root,
                                  const RandomPipelineFolder& folder);

}  // namespace cosmos3::tool
