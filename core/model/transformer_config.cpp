#include "core/model/transformer_config.h"

#include "core/config/json_config_reader.h"
#include "core/errors.h"

namespace cosmos3::model {
namespace {

using config::Json;
using config::JsonConfigReader;

Activation parse_activation(const JsonConfigReader& reader) {
  std::string name = "silu";
  reader.read("hidden_act", name);
  if (name == "silu") {
    return Activation::kSilu;
  }
  if (name == "relu2") {
    return Activation::kRelu2;
  }
  reader.fail("hidden_act", "is '" + name + "'; Cosmos3 checkpoints use 'silu' or 'relu2'");
}

// rope_axes_dim wins; older configs carry the sections as rope_scaling.mrope_section.
std::array<int64_t, 3> parse_rope_axes(const JsonConfigReader& reader) {
  std::vector<int64_t> sections{24, 20, 20};
  const Json& json = reader.json();
  if (json.contains("rope_scaling") && json["rope_scaling"].is_object() &&
      json["rope_scaling"].contains("mrope_section")) {
    sections = json["rope_scaling"]["mrope_section"].get<std::vector<int64_t>>();
  }
  reader.read("rope_axes_dim", sections);
  if (sections.size() != 3) {
    reader.fail("rope_axes_dim",
                "must list 3 sections (t, h, w), got " + std::to_string(sections.size()));
  }
  return {sections[0], sections[1], sections[2]};
}

void validate(const TransformerConfig& config, const JsonConfigReader& reader) {
  reader.require_positive("hidden_size", config.hidden_size);
  reader.require_positive("num_hidden_layers", config.num_hidden_layers);
  reader.require_positive("num_attention_heads", config.num_attention_heads);
  reader.require_positive("num_key_value_heads", config.num_key_value_heads);
  reader.require_positive("head_dim", config.head_dim);
  reader.require_positive("intermediate_size", config.intermediate_size);
  reader.require_positive("latent_channel", config.latent_channel);
  reader.require_positive("latent_patch_size", config.latent_patch_size);
  reader.require_positive("vocab_size", config.vocab_size);
  if (config.num_attention_heads % config.num_key_value_heads != 0) {
    reader.fail("num_key_value_heads", "(" + std::to_string(config.num_key_value_heads) +
                                           ") must divide num_attention_heads (" +
                                           std::to_string(config.num_attention_heads) + ")");
  }
  if (config.head_dim % 2 != 0) {
    reader.fail("head_dim", "must be even for rotary embeddings");
  }
  const auto& axes = config.rope_axes_dim;
  if (axes[0] + axes[1] + axes[2] != config.head_dim / 2 || axes[1] * 3 > config.head_dim / 2 ||
      axes[2] * 3 > config.head_dim / 2) {
    reader.fail("rope_axes_dim", "sections must sum to head_dim / 2 (" +
                                     std::to_string(config.head_dim / 2) +
                                     ") and interleave within it");
  }
  const int64_t patch_dim =
      config.latent_channel * config.latent_patch_size * config.latent_patch_size;
  if (config.patch_latent_dim != patch_dim) {
    reader.fail("patch_latent_dim", "is " + std::to_string(config.patch_latent_dim) +
                                        " but latent_channel x latent_patch_size^2 is " +
                                        std::to_string(patch_dim));
  }
  if (config.sound_gen) {
    reader.require_positive("sound_dim", config.sound_dim);
  }
  if (config.action_gen) {
    reader.require_positive("action_dim", config.action_dim);
    reader.require_positive("num_embodiment_domains", config.num_embodiment_domains);
  }
}

}  // namespace

TransformerConfig parse_transformer_config(const std::string& json_text,
                                           const std::string& file_name) {
  const Json json = config::parse_json_object(json_text, file_name);
  const JsonConfigReader reader(json, file_name);
  TransformerConfig config;
  reader.read("hidden_size", config.hidden_size);
  reader.read("num_hidden_layers", config.num_hidden_layers);
  reader.read("num_attention_heads", config.num_attention_heads);
  reader.read("num_key_value_heads", config.num_key_value_heads);
  reader.read("head_dim", config.head_dim);
  reader.read("intermediate_size", config.intermediate_size);
  reader.read("attention_bias", config.attention_bias);
  config.hidden_act = parse_activation(reader);
  reader.read("rms_norm_eps", config.rms_norm_eps);
  reader.read("rope_theta", config.rope_theta);
  config.rope_axes_dim = parse_rope_axes(reader);
  reader.read("qk_norm_for_text", config.qk_norm_for_text);
  reader.read("use_und_k_norm_for_gen", config.use_und_k_norm_for_gen);
  reader.read("vocab_size", config.vocab_size);
  reader.read("latent_channel", config.latent_channel);
  reader.read("latent_patch_size", config.latent_patch_size);
  reader.read("patch_latent_dim", config.patch_latent_dim);
  reader.read("timestep_scale", config.timestep_scale);
  reader.read("base_fps", config.base_fps);
  reader.read("enable_fps_modulation", config.enable_fps_modulation);
  reader.read("unified_3d_mrope_reset_spatial_ids", config.unified_3d_mrope_reset_spatial_ids);
  reader.read("unified_3d_mrope_temporal_modality_margin",
              config.unified_3d_mrope_temporal_modality_margin);
  reader.read("sound_gen", config.sound_gen);
  reader.read("sound_dim", config.sound_dim);
  reader.read("sound_latent_fps", config.sound_latent_fps);
  reader.read("action_gen", config.action_gen);
  reader.read("action_dim", config.action_dim);
  reader.read("num_embodiment_domains", config.num_embodiment_domains);
  validate(config, reader);
  return config;
}

TransformerConfig load_transformer_config(const std::filesystem::path& config_path) {
  return parse_transformer_config(
      config::read_config_text(
          config_path, "--model must be a diffusers folder holding transformer/config.json"),
      config_path.string());
}

}  // namespace cosmos3::model
