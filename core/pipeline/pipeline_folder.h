#pragma once
// A diffusers Cosmos3 pipeline folder: model_index.json (and modular_model_index.json, where
// distilled checkpoints keep their sigma list) with the pipeline settings and the subfolders of
// its components.

#include <filesystem>
#include <optional>
#include <vector>

namespace cosmos3::pipeline {

struct PipelineFolder {
  std::filesystem::path root;
  std::filesystem::path transformer_dir;
  std::filesystem::path scheduler_config;  // scheduler/scheduler_config.json
  std::filesystem::path text_tokenizer_dir;
  std::filesystem::path vae_dir;
  bool default_use_system_prompt = true;
  bool use_native_flow_schedule = false;
  // vae/config.json's compression factors, which bound the sizes a request may ask for.
  int64_t vae_spatial_factor = 16;
  int64_t vae_temporal_factor = 4;
  // Set for distilled checkpoints: their fixed schedule (no CFG, flow-match Euler).
  std::optional<std::vector<double>> distilled_sigmas;
  // Sound: the sound_tokenizer/ folder (empty when model_index.json lists none) and whether the
  // transformer was trained to generate sound (transformer/config.json's sound_gen).
  std::filesystem::path sound_tokenizer_dir;
  bool transformer_sound_gen = false;
  bool can_generate_sound() const { return transformer_sound_gen && !sound_tokenizer_dir.empty(); }
};

// Reads the settings and checks that the transformer, scheduler and text tokenizer folders
// exist (the VAE's is checked by whoever decodes). Throws ConfigError naming the file or folder
// and what is missing.
PipelineFolder read_pipeline_folder(const std::filesystem::path& root);

}  // namespace cosmos3::pipeline
