#pragma once
// The Cosmos3 video VAE: diffusers' AutoencoderKLWan in the Wan2.2 layout Cosmos3 checkpoints
// use, with the latent normalisation of Cosmos3OmniPipeline. Video is processed in temporal
// chunks with causal caches, so memory stays bounded by one chunk's activations.
//
// Shape legend: B batch, C channels, T frames, H height, W width.

#include "core/vae/causal_conv.h"
#include "core/vae/row_slabs.h"
#include "core/vae/vae_config.h"
#include "core/vae/vae_weights.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>

namespace cosmos3::vae {

// Where a decode gathers the whole clip. A clip is large (720p, 189 frames: 1 GB in bf16) and
// is written from host memory anyway, so the pipeline gathers it on the host and a GPU holds
// only the chunk in flight.
enum class PixelsPlace { kModuleDevice, kHost };

class WanVae {
 public:
  // Called after each chunk with the frames done so far and the total: latent frames when
  // decoding, pixel frames when encoding.
  using Progress = std::function<void(int64_t done, int64_t total)>;

  WanVae(VaeConfig config, VaeWeights weights, c10::ScalarType dtype);

  // Loads vae/config.json and the weights from a diffusers folder (the pipeline root with
  // model_index.json, or its vae/ subfolder). Throws ConfigError or CheckpointError naming
  // the file and the problem.
  static WanVae load(const std::filesystem::path& model_dir, c10::ScalarType dtype,
                     c10::Device device, VaeParts parts = VaeParts::kEncoderAndDecoder);

  const VaeConfig& config() const { return config_; }
  c10::ScalarType dtype() const { return dtype_; }
  c10::Device device() const { return device_; }
  // False when loaded without the decoder (VaeParts::kEncoderOnly).
  bool has_decoder() const { return weights_.decoder.has_value(); }

  // Normalised latents [B, z_dim, T, h, w], as the transformer produces them, to pixels
  // [B, 3, 1 + 4 * (T - 1), 16h, 16w] clamped to [-1, 1], in the module dtype on the module's
  // device (the pipeline casts them back to its own dtype). Decodes one latent frame at a
  // time, as the reference does.
  at::Tensor decode(const at::Tensor& latents_BCTHW, const Progress& progress = {}) const;

  // The same result from fewer, longer chunks: the first latent frame alone (the reference
  // treats it apart), then `frames_per_chunk` latent frames per chunk. Faster on a GPU, with
  // memory growing with the chunk.
  at::Tensor decode_chunked(const at::Tensor& latents_BCTHW, int64_t frames_per_chunk,
                            const Progress& progress = {},
                            PixelsPlace pixels_place = PixelsPlace::kModuleDevice) const;

  // Pixels [B, 3, T, H, W] in [-1, 1], T = 1 + 4k and H, W multiples of 16, to normalised
  // latents [B, z_dim, 1 + k, H/16, W/16]: the posterior means, as the pipeline's
  // `_encode_video` takes them, in the module dtype. Encodes the first frame alone, then 4
  // frames per chunk, as the reference does. Throws UserError for other shapes.
  at::Tensor encode(const at::Tensor& pixels_BCTHW, const Progress& progress = {}) const;

  // The same result with `frames_per_chunk` (a multiple of 4) pixel frames per later chunk.
  at::Tensor encode_chunked(const at::Tensor& pixels_BCTHW, int64_t frames_per_chunk,
                            const Progress& progress = {}) const;

  // One process's part of a decode split by rows across processes (row_slabs.h): every
  // process of the split calls it together with the same whole latents and decodes its own
  // rows; the writer gets the whole clip decode_chunked returns, the others an undefined
  // tensor. Throws UserError when the latents' rows are not the split's.
  at::Tensor decode_split(const at::Tensor& latents_BCTHW, RowSlabs& slabs,
                          int64_t frames_per_chunk = 1, const Progress& progress = {},
                          PixelsPlace pixels_place = PixelsPlace::kModuleDevice) const;

  // One process's part of an encode split by rows: every process calls it together with the
  // same whole pixels, encodes its own rows and gets the whole latents encode_chunked returns.
  at::Tensor encode_split(const at::Tensor& pixels_BCTHW, RowSlabs& slabs,
                          int64_t frames_per_chunk = 4, const Progress& progress = {}) const;

  // The pipeline's normalisation: (raw - mean) / std, written as the reference computes it
  // (a product with the reciprocal std in the module dtype).
  at::Tensor normalize_latents(const at::Tensor& raw_BCTHW) const;
  at::Tensor denormalize_latents(const at::Tensor& latents_BCTHW) const;

 private:
  const EncoderWeights& encoder() const;
  const DecoderWeights& decoder() const;
  // The decode and encode, of whole frames (null slabs) or of this process's slab.
  at::Tensor decode_rows(const at::Tensor& latents_BCTHW, int64_t frames_per_chunk,
                         const Progress& progress, RowSlabs* slabs, PixelsPlace pixels_place) const;
  at::Tensor encode_rows(const at::Tensor& pixels_BCTHW, int64_t frames_per_chunk,
                         const Progress& progress, RowSlabs* slabs) const;

  VaeConfig config_;
  VaeWeights weights_;
  c10::ScalarType dtype_;
  c10::Device device_;
  at::Tensor mean_1C111_;
  at::Tensor inv_std_1C111_;
};

// The vae subfolder of a diffusers folder: `model_dir/vae` when model_dir holds
// model_index.json, else model_dir itself. Throws ConfigError when neither has a config.
std::filesystem::path vae_folder(const std::filesystem::path& model_dir);

}  // namespace cosmos3::vae
