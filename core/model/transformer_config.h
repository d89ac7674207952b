#pragma once
// transformer/config.json of a diffusers Cosmos3OmniTransformer checkpoint: every field the
// reference reads, validated so a bad config fails before any weight is loaded.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace cosmos3::model {

enum class Activation { kSilu, kRelu2 };

struct TransformerConfig {
  int64_t hidden_size = 4096;
  int64_t num_hidden_layers = 36;
  int64_t num_attention_heads = 32;
  int64_t num_key_value_heads = 8;
  int64_t head_dim = 128;
  int64_t intermediate_size = 12288;
  bool attention_bias = false;
  Activation hidden_act = Activation::kSilu;
  double rms_norm_eps = 1e-6;
  double rope_theta = 5e6;
  std::array<int64_t, 3> rope_axes_dim{24, 20, 20};
  bool qk_norm_for_text = true;
  bool use_und_k_norm_for_gen = false;
  int64_t vocab_size = 151936;
  int64_t latent_channel = 48;
  int64_t latent_patch_size = 2;
  int64_t patch_latent_dim = 192;
  double timestep_scale = 0.001;
  int64_t base_fps = 24;
  bool enable_fps_modulation = true;
  bool unified_3d_mrope_reset_spatial_ids = true;
  int64_t unified_3d_mrope_temporal_modality_margin = 15000;
  bool sound_gen = false;
  int64_t sound_dim = 0;
  double sound_latent_fps = 25.0;
  bool action_gen = false;
  int64_t action_dim = 0;
  int64_t num_embodiment_domains = 32;

  // The Edge family's "Nemotron" norms (fp32 weight multiply) come with its relu2 MLPs.
  bool uses_nemotron_norm() const { return hidden_act == Activation::kRelu2; }
  bool has_und_k_norm_for_gen() const { return use_und_k_norm_for_gen && !qk_norm_for_text; }
  int64_t query_width() const { return num_attention_heads * head_dim; }
  int64_t key_value_width() const { return num_key_value_heads * head_dim; }
};

// Parses and validates; throws ConfigError naming the file, the field and what is accepted.
TransformerConfig parse_transformer_config(const std::string& json_text,
                                           const std::string& file_name);
TransformerConfig load_transformer_config(const std::filesystem::path& config_path);

}  // namespace cosmos3::model
