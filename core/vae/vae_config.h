#pragma once
// vae/config.json of a Cosmos3 checkpoint: diffusers' AutoencoderKLWan in the Wan2.2 layout
// (residual up/down blocks, internal patchify, 48 latent channels). Every field the reference
// reads is read here and validated before any weight is loaded.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::vae {

struct VaeConfig {
  int64_t base_dim = 96;
  int64_t decoder_base_dim = 96;  // the reference falls back to base_dim when null
  int64_t z_dim = 16;
  std::vector<int64_t> dim_mult{1, 2, 4, 4};
  int64_t num_res_blocks = 2;
  // One flag per level but the last; the decoder reads them reversed.
  std::vector<bool> temporal_downsample{false, true, true};
  std::vector<double> latents_mean;
  std::vector<double> latents_std;
  bool is_residual = false;
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  int64_t patch_size = 1;  // null in the file means no patchify, the same as 1
  int64_t scale_factor_temporal = 4;
  int64_t scale_factor_spatial = 8;

  int64_t num_levels() const { return static_cast<int64_t>(dim_mult.size()); }
  bool temporal_upsample(int64_t level) const {
    return temporal_downsample[temporal_downsample.size() - 1 - static_cast<size_t>(level)];
  }
  // Channels of the encoder's stages: conv_in's output, then each level's output.
  std::vector<int64_t> encoder_dims() const;
  // Channels of the decoder's stages: conv_in's output, then each up block's output.
  std::vector<int64_t> decoder_dims() const;
  // Pixel channels before patchify and after unpatchify.
  int64_t pixel_channels_in() const { return in_channels / (patch_size * patch_size); }
  int64_t pixel_channels_out() const { return out_channels / (patch_size * patch_size); }
};

// Parses and validates; throws ConfigError naming the file, the field and what is accepted.
VaeConfig parse_vae_config(const std::string& json_text, const std::string& file_name);
VaeConfig load_vae_config(const std::filesystem::path& config_path);

// The config of the published Cosmos3 VAE (Wan2.2 TI2V-5B) with zero means and unit stds: for
// benchmarks that run random weights at full size.
VaeConfig cosmos3_reference_vae_config();

}  // namespace cosmos3::vae
