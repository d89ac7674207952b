#include "core/vae/vae_config.h"

#include "core/config/json_config_reader.h"
#include "core/errors.h"

namespace cosmos3::vae {
namespace {

using config::Json;
using config::JsonConfigReader;

constexpr const char* kVaeClass = "AutoencoderKLWan";

std::string number_text(int64_t value) { return std::to_string(value); }

void check_class(const Json& json, const std::string& file_name) {
  if (json.contains("_class_name") && json["_class_name"] != kVaeClass) {
    throw ConfigError(file_name + ": field '_class_name' is " + json["_class_name"].dump() +
                      "; Cosmos3 Studio runs only '" + kVaeClass + "' video VAEs");
  }
}

void validate_layout(const VaeConfig& config, const JsonConfigReader& reader) {
  if (!config.is_residual) {
    reader.fail("is_residual",
                "is false (the Wan2.1 layout); Cosmos3 Studio implements the Wan2.2 layout that "
                "Cosmos3 checkpoints use: set it to true only if the weights are a Wan2.2 VAE");
  }
  reader.require_positive("base_dim", config.base_dim);
  reader.require_positive("decoder_base_dim", config.decoder_base_dim);
  reader.require_positive("z_dim", config.z_dim);
  reader.require_positive("num_res_blocks", config.num_res_blocks);
  reader.require_positive("patch_size", config.patch_size);
  if (config.dim_mult.empty()) {
    reader.fail("dim_mult", "must list at least one multiplier");
  }
  for (const int64_t multiplier : config.dim_mult) {
    reader.require_positive("dim_mult", multiplier);
  }
  if (config.temporal_downsample.size() + 1 != config.dim_mult.size()) {
    reader.fail("temperal_downsample",
                "must hold one flag per level but the last (" +
                    number_text(config.num_levels() - 1) + " for dim_mult " +
                    Json(config.dim_mult).dump() + "), got " +
                    number_text(static_cast<int64_t>(config.temporal_downsample.size())));
  }
}

void validate_channels(const VaeConfig& config, const JsonConfigReader& reader) {
  const int64_t patch_area = config.patch_size * config.patch_size;
  for (const auto& [field, channels] :
       {std::pair<std::string, int64_t>{"in_channels", config.in_channels},
        {"out_channels", config.out_channels}}) {
    reader.require_positive(field, channels);
    if (channels % patch_area != 0) {
      reader.fail(field, "(" + number_text(channels) + ") must be a multiple of patch_size^2 (" +
                             number_text(patch_area) + ")");
    }
  }
}

void validate_normalisation(const VaeConfig& config, const JsonConfigReader& reader) {
  for (const auto& [field, values] :
       {std::pair<std::string, const std::vector<double>*>{"latents_mean", &config.latents_mean},
        {"latents_std", &config.latents_std}}) {
    if (static_cast<int64_t>(values->size()) != config.z_dim) {
      reader.fail(field, "must list z_dim (" + number_text(config.z_dim) + ") values, got " +
                             number_text(static_cast<int64_t>(values->size())));
    }
  }
  for (const double value : config.latents_std) {
    if (!(value > 0)) {
      reader.fail("latents_std", "must hold positive values, got " + std::to_string(value));
    }
  }
}

// The pipeline derives latent sizes from the scale factors, so they must agree with the layout.
void validate_scale_factors(const VaeConfig& config, const JsonConfigReader& reader) {
  int64_t temporal = 1;
  for (const bool halves : config.temporal_downsample) {
    temporal *= halves ? 2 : 1;
  }
  const int64_t spatial = (int64_t{1} << (config.num_levels() - 1)) * config.patch_size;
  if (config.scale_factor_temporal != temporal) {
    reader.fail("scale_factor_temporal", "is " + number_text(config.scale_factor_temporal) +
                                             " but temperal_downsample compresses time by " +
                                             number_text(temporal));
  }
  if (config.scale_factor_spatial != spatial) {
    reader.fail("scale_factor_spatial", "is " + number_text(config.scale_factor_spatial) +
                                            " but dim_mult and patch_size compress space by " +
                                            number_text(spatial));
  }
}

}  // namespace

std::vector<int64_t> VaeConfig::encoder_dims() const {
  std::vector<int64_t> dims{base_dim};
  for (const int64_t multiplier : dim_mult) {
    dims.push_back(base_dim * multiplier);
  }
  return dims;
}

std::vector<int64_t> VaeConfig::decoder_dims() const {
  std::vector<int64_t> dims{decoder_base_dim * dim_mult.back()};
  for (auto multiplier = dim_mult.rbegin(); multiplier != dim_mult.rend(); ++multiplier) {
    dims.push_back(decoder_base_dim * *multiplier);
  }
  return dims;
}

VaeConfig parse_vae_config(const std::string& json_text, const std::string& file_name) {
  const Json json = config::parse_json_object(json_text, file_name);
  check_class(json, file_name);
  const JsonConfigReader reader(json, file_name);
  VaeConfig config;
  reader.read("base_dim", config.base_dim);
  config.decoder_base_dim = config.base_dim;
  reader.read("decoder_base_dim", config.decoder_base_dim);
  reader.read("z_dim", config.z_dim);
  reader.read("dim_mult", config.dim_mult);
  reader.read("num_res_blocks", config.num_res_blocks);
  // The reference spells it 'temperal'. attn_scales and dropout change nothing at inference in
  // the residual layout (the reference ignores the first there), so they are not read.
  reader.read("temperal_downsample", config.temporal_downsample);
  reader.read("latents_mean", config.latents_mean);
  reader.read("latents_std", config.latents_std);
  reader.read("is_residual", config.is_residual);
  reader.read("in_channels", config.in_channels);
  reader.read("out_channels", config.out_channels);
  reader.read("patch_size", config.patch_size);
  reader.read("scale_factor_temporal", config.scale_factor_temporal);
  reader.read("scale_factor_spatial", config.scale_factor_spatial);
  validate_layout(config, reader);
  validate_channels(config, reader);
  validate_normalisation(config, reader);
  validate_scale_factors(config, reader);
  return config;
}

VaeConfig load_vae_config(const std::filesystem::path& config_path) {
  return parse_vae_config(
      config::read_config_text(
          config_path, "the model folder must be a diffusers folder holding vae/config.json"),
      config_path.string());
}

VaeConfig cosmos3_reference_vae_config() {
  VaeConfig config;
  config.base_dim = 160;
  config.decoder_base_dim = 256;
  config.z_dim = 48;
  config.is_residual = true;
  config.in_channels = 12;
  config.out_channels = 12;
  config.patch_size = 2;
  config.scale_factor_spatial = 16;
  config.latents_mean.assign(48, 0.0);
  config.latents_std.assign(48, 1.0);
  return config;
}

}  // namespace cosmos3::vae
