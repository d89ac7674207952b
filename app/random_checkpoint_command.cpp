// cosmos3-tool make-random-checkpoint: a full-size Cosmos3 pipeline folder (Nano, Super or Edge
// transformer configs, the published Wan2.2 VAE) with random bf16 weights, for measuring whole
// jobs end to end (load, prompt, denoise, decode) on a GPU without a release. The tokenizer is
// the tiny one: its ids are a subset of every family's vocabulary.

#include "app/bench_models.h"
#include "app/random_pipeline_folder.h"
#include "app/tiny_checkpoint_configs.h"
#include "app/tool_commands.h"
#include "core/cli/typed_values.h"
#include "core/sound/sound_tokenizer_config.h"
#include "core/vae/vae_config.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cosmos3::tool {
namespace {

using json = nlohmann::json;

json transformer_config_json(const model::TransformerConfig& config) {
  return {{"_class_name", "Cosmos3OmniTransformer"},
          {"_diffusers_version", "0.42.1"},
          {"action_dim", config.action_dim},
          {"action_gen", config.action_gen},
          {"attention_bias", config.attention_bias},
          {"attention_dropout", 0.0},
          {"base_fps", config.base_fps},
          {"enable_fps_modulation", config.enable_fps_modulation},
          {"head_dim", config.head_dim},
          {"hidden_act", config.hidden_act == model::Activation::kRelu2 ? "relu2" : "silu"},
          {"hidden_size", config.hidden_size},
          {"intermediate_size", config.intermediate_size},
          {"latent_channel", config.latent_channel},
          {"latent_patch_size", config.latent_patch_size},
          {"num_attention_heads", config.num_attention_heads},
          {"num_embodiment_domains", config.num_embodiment_domains},
          {"num_hidden_layers", config.num_hidden_layers},
          {"num_key_value_heads", config.num_key_value_heads},
          {"patch_latent_dim", config.patch_latent_dim},
          {"qk_norm_for_text", config.qk_norm_for_text},
          {"rms_norm_eps", config.rms_norm_eps},
          {"rope_axes_dim", config.rope_axes_dim},
          {"rope_scaling", nullptr},
          {"rope_theta", config.rope_theta},
          {"sound_dim", config.sound_dim},
          {"sound_gen", config.sound_gen},
          {"sound_latent_fps", config.sound_latent_fps},
          {"timestep_scale", config.timestep_scale},
          {"unified_3d_mrope_reset_spatial_ids", config.unified_3d_mrope_reset_spatial_ids},
          {"unified_3d_mrope_temporal_modality_margin",
           config.unified_3d_mrope_temporal_modality_margin},
          {"use_und_k_norm_for_gen", config.use_und_k_norm_for_gen},
          {"vocab_size", config.vocab_size}};
}

json vae_config_json(const vae::VaeConfig& config) {
  return {{"_class_name", "AutoencoderKLWan"},
          {"_diffusers_version", "0.42.1"},
          {"attn_scales", json::array()},
          {"base_dim", config.base_dim},
          {"decoder_base_dim", config.decoder_base_dim},
          {"dim_mult", config.dim_mult},
          {"dropout", 0.0},
          {"in_channels", config.in_channels},
          {"is_residual", config.is_residual},
          {"latents_mean", config.latents_mean},
          {"latents_std", config.latents_std},
          {"num_res_blocks", config.num_res_blocks},
          {"out_channels", config.out_channels},
          {"patch_size", config.patch_size},
          {"scale_factor_spatial", config.scale_factor_spatial},
          {"scale_factor_temporal", config.scale_factor_temporal},
          {"temperal_downsample", config.temporal_downsample},
          {"z_dim", config.z_dim}};
}

// The published decoder's shape, in the tiny config's form; its width follows the transformer's
// sound_dim so the two agree as a release's do.
json sound_tokenizer_config_json(const sound::SoundTokenizerConfig& config) {
  json tokenizer = json::parse(kTinySoundTokenizerConfig);
  tokenizer["vocoder_input_dim"] = config.vocoder_input_dim;
  tokenizer["dec_dim"] = config.dec_dim;
  tokenizer["dec_c_mults"] = config.dec_c_mults;
  tokenizer["dec_strides"] = config.dec_strides;
  tokenizer["dec_out_channels"] = config.dec_out_channels;
  tokenizer["sampling_rate"] = config.sampling_rate;
  return tokenizer;
}

void write_random_checkpoint(const std::filesystem::path& root, const std::string& family,
                             uint64_t seed, c10::Device device) {
  RandomPipelineFolder folder;
  folder.transformer = bench::family_config(family);
  folder.transformer_config_json = transformer_config_json(folder.transformer).dump(2);
  folder.vae = vae::cosmos3_reference_vae_config();
  folder.vae_config_json = vae_config_json(folder.vae).dump(2);
  json scheduler = json::parse(kTinySchedulerConfig);
  scheduler["flow_shift"] = family == "super" ? 5.0 : 10.0;
  folder.scheduler_config_json = scheduler.dump(2);
  json index = json::parse(kTinyModelIndex);
  // A family that makes sound gets a full-size random sound tokenizer: the loader refuses a
  // folder whose model_index lists a component that is not there.
  if (folder.transformer.sound_gen) {
    sound::SoundTokenizerConfig tokenizer = sound::cosmos3_reference_sound_tokenizer_config();
    tokenizer.vocoder_input_dim = folder.transformer.sound_dim;
    folder.sound_tokenizer = tokenizer;
    folder.sound_tokenizer_config_json = sound_tokenizer_config_json(tokenizer).dump(2);
  } else {
    index.erase("sound_tokenizer");
  }
  if (family == "edge") {
    index["default_use_system_prompt"] = false;
    index["use_native_flow_schedule"] = true;
  }
  folder.model_index_json = index.dump(2);
  folder.dtype = c10::kBFloat16;
  folder.device = device;
  folder.seed = seed;
  write_random_pipeline_folder(root, folder);
}

}  // namespace

cli::Command make_random_checkpoint_command() {
  struct Options {
    std::filesystem::path root;
    std::string family = "nano";
    uint64_t seed = 0;
    c10::Device device = c10::Device(c10::kCPU);
  };
  auto options = std::make_shared<Options>();
  cli::Command command("make-random-checkpoint",
                       "write a full-size Cosmos3 pipeline folder with random bf16 weights\n"
                       "(tens of GB) for timing whole jobs without a release");
  command
      .add_positional(
          {.name = "OUT_DIR",
           .help = "the folder to create (must not exist)",
           .set = [options](std::string_view value) { options->root = std::string(value); }})
      .add_flag({.name = "--family",
                 .value_name = "F",
                 .help = "nano, super or edge (default nano)",
                 .set =
                     [options](auto flag, auto value) {
                       options->family = cli::to_enum<std::string>(
                           flag, value, {{"nano", "nano"}, {"super", "super"}, {"edge", "edge"}});
                     }})
      .add_flag({.name = "--seed",
                 .value_name = "N",
                 .help = "seed of the random weights (default 0)",
                 .set =
                     [options](auto flag, auto value) {
                       options->seed = cli::to_integer<uint64_t>(flag, value);
                     }})
      .add_flag({.name = "--device",
                 .value_name = "D",
                 .help = "where the random numbers are drawn: cpu or cuda (faster; default cpu)",
                 .set =
                     [options](auto flag, auto value) {
                       options->device = cli::to_enum<c10::Device>(
                           flag, value,
                           {{"cpu", c10::Device(c10::kCPU)}, {"cuda", c10::Device(c10::kCUDA)}});
                     }})
      .set_action([options] {
        write_random_checkpoint(options->root, options->family, options->seed, options->device);
        std::cout << "wrote a random " << options->family << " checkpoint to "
                  << options->root.string() << '\n';
        return 0;
      });
  return command;
}

}  // namespace cosmos3::tool
