#include "core/vae/wan_vae.h"

#include "core/errors.h"
#include "core/safetensors/checkpoint.h"
#include "core/vae/vae_layers.h"
#include "core/vae/vae_stacks.h"
#include "core/vae/vae_weight_sources.h"

#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/clamp.h>
#include <ATen/ops/conv3d.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/reciprocal.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/to.h>  // IWYU pragma: keep
#include <c10/core/impl/DeviceGuardImplInterface.h>

#include <algorithm>
#include <string>

namespace cosmos3::vae {
namespace {

// The reference encodes the first frame alone, then this many frames per chunk, whatever the
// temporal compression.
constexpr int64_t kEncodeChunkFrames = 4;

std::string shape_of(const at::Tensor& tensor) {
  std::string text = "[";
  for (int64_t dim = 0; dim < tensor.dim(); ++dim) {
    text += (dim == 0 ? "" : ", ") + std::to_string(tensor.size(dim));
  }
  return text + "]";
}

// [1, C, 1, 1, 1] in `dtype`, built on the CPU as the pipeline builds it.
at::Tensor channel_constants(const std::vector<double>& values, c10::ScalarType dtype) {
  return at::tensor(values, at::TensorOptions().dtype(at::kDouble))
      .to(dtype)
      .view({1, -1, 1, 1, 1});
}

at::Tensor point_conv(const at::Tensor& x_BCTHW, const Conv& conv) {
  return at::conv3d(x_BCTHW, conv.weight, conv.bias);
}

void check_chunk_size(int64_t frames_per_chunk, int64_t multiple_of, const char* what) {
  if (frames_per_chunk <= 0 || frames_per_chunk % multiple_of != 0) {
    throw UserError(std::string(what) + ": frames_per_chunk must be a positive multiple of " +
                    std::to_string(multiple_of) + ", got " + std::to_string(frames_per_chunk));
  }
}

// A split's frame must be the tensor's: `rows_per_latent_row` rows of the tensor per latent row.
void check_split_rows(int64_t num_rows, const RowSlabs& slabs, int64_t rows_per_latent_row,
                      const char* what) {
  if (num_rows != slabs.num_frame_latent_rows() * rows_per_latent_row) {
    throw UserError(std::string(what) + " have " + std::to_string(num_rows) +
                    " rows, but the split by rows was made for " +
                    std::to_string(slabs.num_frame_latent_rows() * rows_per_latent_row) +
                    ": make the split for this frame height");
  }
}

// This process's rows of a whole frame: all of them without a split.
at::Tensor own_rows(const at::Tensor& frame_BCTHW, const RowSlabs* slabs,
                    int64_t rows_per_latent_row) {
  if (slabs == nullptr) {
    return frame_BCTHW;
  }
  return frame_BCTHW.narrow(3, slabs->first_latent_row() * rows_per_latent_row,
                            slabs->num_latent_rows() * rows_per_latent_row);
}

}  // namespace

std::filesystem::path vae_folder(const std::filesystem::path& model_dir) {
  if (std::filesystem::exists(model_dir / "model_index.json")) {
    return model_dir / "vae";
  }
  if (std::filesystem::exists(model_dir / "config.json")) {
    return model_dir;
  }
  throw ConfigError(model_dir.string() +
                    ": not a diffusers folder: expected model_index.json with a vae/ subfolder, "
                    "or a vae folder holding config.json");
}

WanVae::WanVae(VaeConfig config, VaeWeights weights, c10::ScalarType dtype)
    : config_(std::move(config)), weights_(std::move(weights)), dtype_(dtype), device_(at::kCPU) {
  const Conv& any_conv = weights_.decoder ? weights_.post_quant_conv : weights_.quant_conv;
  TORCH_CHECK(any_conv.weight.defined(), "WanVae needs an encoder or a decoder");
  device_ = any_conv.weight.device();
  mean_1C111_ = channel_constants(config_.latents_mean, dtype_).to(device_);
  inv_std_1C111_ =
      (at::reciprocal(channel_constants(config_.latents_std, dtype_)) * 1.0).to(device_);
}

WanVae WanVae::load(const std::filesystem::path& model_dir, c10::ScalarType dtype,
                    c10::Device device, VaeParts parts) {
  const std::filesystem::path folder = vae_folder(model_dir);
  VaeConfig config = load_vae_config(folder / "config.json");
  const safetensors::Checkpoint checkpoint(folder);
  VaeCheckpointWeightSource source(checkpoint);
  VaeWeights weights = load_vae_weights(config, source, dtype, device, parts);
  return WanVae(std::move(config), std::move(weights), dtype);
}

const EncoderWeights& WanVae::encoder() const {
  if (!weights_.encoder) {
    throw UserError("this VAE was loaded without its encoder (VaeParts::kDecoderOnly)");
  }
  return *weights_.encoder;
}

const DecoderWeights& WanVae::decoder() const {
  if (!weights_.decoder) {
    throw UserError("this VAE was loaded without its decoder (VaeParts::kEncoderOnly)");
  }
  return *weights_.decoder;
}

at::Tensor WanVae::normalize_latents(const at::Tensor& raw_BCTHW) const {
  return (raw_BCTHW.to(device_, dtype_) - mean_1C111_) * inv_std_1C111_;
}

at::Tensor WanVae::denormalize_latents(const at::Tensor& latents_BCTHW) const {
  return latents_BCTHW.to(device_, dtype_) / inv_std_1C111_ + mean_1C111_;
}

at::Tensor WanVae::decode(const at::Tensor& latents_BCTHW, const Progress& progress) const {
  return decode_chunked(latents_BCTHW, 1, progress);
}

at::Tensor WanVae::decode_chunked(const at::Tensor& latents_BCTHW, int64_t frames_per_chunk,
                                  const Progress& progress, PixelsPlace pixels_place) const {
  return decode_rows(latents_BCTHW, frames_per_chunk, progress, nullptr, pixels_place);
}

at::Tensor WanVae::decode_split(const at::Tensor& latents_BCTHW, RowSlabs& slabs,
                                int64_t frames_per_chunk, const Progress& progress,
                                PixelsPlace pixels_place) const {
  return decode_rows(latents_BCTHW, frames_per_chunk, progress, &slabs, pixels_place);
}

at::Tensor WanVae::decode_rows(const at::Tensor& latents_BCTHW, int64_t frames_per_chunk,
                               const Progress& progress, RowSlabs* slabs,
                               PixelsPlace pixels_place) const {
  check_chunk_size(frames_per_chunk, 1, "decode_chunked");
  if (latents_BCTHW.dim() != 5 || latents_BCTHW.size(1) != config_.z_dim ||
      latents_BCTHW.size(2) == 0) {
    throw UserError("decode: latents must be [B, " + std::to_string(config_.z_dim) +
                    ", T >= 1, h, w], got " + shape_of(latents_BCTHW));
  }
  if (slabs != nullptr) {
    check_split_rows(latents_BCTHW.size(3), *slabs, 1, "decode: latents");
  }
  const DecoderWeights& weights = decoder();
  at::NoGradGuard no_grad;
  const at::Tensor own_BCTHW = own_rows(latents_BCTHW, slabs, 1);
  const at::Tensor z_BCTHW = point_conv(denormalize_latents(own_BCTHW), weights_.post_quant_conv);
  const int64_t num_latent_frames = z_BCTHW.size(2);
  const int64_t patch = config_.patch_size;
  const int64_t spatial = config_.scale_factor_spatial;
  const int64_t temporal = config_.scale_factor_temporal;
  const int64_t num_frames = 1 + temporal * (num_latent_frames - 1);
  // Each chunk is unpatchified and clamped into its slice, so no second full-size copy exists.
  // Split by rows, only the writer holds the clip.
  const bool keeps_pixels = slabs == nullptr || slabs->is_writer();
  // From a GPU to the host, chunks go into pinned memory without waiting, so the copies run
  // beside the next chunk's decode instead of stalling it (measured at 8 ranks, 720p/189
  // frames: waiting copies added 0.39 s to the writer's 1.44 s).
  const bool copies_from_gpu = pixels_place == PixelsPlace::kHost && z_BCTHW.is_cuda();
  at::Tensor pixels_BCTHW;
  if (keeps_pixels) {
    const c10::Device pixels_device =
        pixels_place == PixelsPlace::kHost ? c10::Device(c10::kCPU) : z_BCTHW.device();
    pixels_BCTHW =
        at::empty({z_BCTHW.size(0), config_.pixel_channels_out(), num_frames,
                   latents_BCTHW.size(3) * spatial, z_BCTHW.size(4) * spatial},
                  z_BCTHW.options().device(pixels_device).pinned_memory(copies_from_gpu));
  }
  FeatureCache cache;
  int64_t latent_start = 0;
  int64_t frame_start = 0;
  while (latent_start < num_latent_frames) {
    const int64_t length =
        latent_start == 0 ? 1 : std::min(frames_per_chunk, num_latent_frames - latent_start);
    at::Tensor chunk = at::clamp(unpatchify(decode_chunk(z_BCTHW.narrow(2, latent_start, length),
                                                         weights, cache, latent_start == 0, slabs),
                                            patch),
                                 -1.0, 1.0);
    if (slabs != nullptr) {
      chunk = slabs->collect_frame(chunk);
    }
    // The first latent frame gives one frame; every later one `temporal` frames.
    const int64_t num_chunk_frames = latent_start == 0 ? 1 : temporal * length;
    if (keeps_pixels) {
      TORCH_CHECK(chunk.size(2) == num_chunk_frames, "decoded ", chunk.size(2),
                  " frames of a chunk, expected ", num_chunk_frames);
      pixels_BCTHW.narrow(2, frame_start, num_chunk_frames).copy_(chunk, copies_from_gpu);
    }
    frame_start += num_chunk_frames;
    latent_start += length;
    if (progress) {
      progress(latent_start, num_latent_frames);
    }
  }
  TORCH_CHECK(frame_start == num_frames, "decoded ", frame_start, " frames, expected ", num_frames);
  if (copies_from_gpu && keeps_pixels) {
    // The caller reads the host clip next: wait for the last copies. Through libc10's
    // device-guard registry, so linking needs no libtorch_cuda.
    c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)->getStream(z_BCTHW.device()).synchronize();
  }
  return pixels_BCTHW;
}

at::Tensor WanVae::encode(const at::Tensor& pixels_BCTHW, const Progress& progress) const {
  return encode_chunked(pixels_BCTHW, kEncodeChunkFrames, progress);
}

at::Tensor WanVae::encode_chunked(const at::Tensor& pixels_BCTHW, int64_t frames_per_chunk,
                                  const Progress& progress) const {
  return encode_rows(pixels_BCTHW, frames_per_chunk, progress, nullptr);
}

at::Tensor WanVae::encode_split(const at::Tensor& pixels_BCTHW, RowSlabs& slabs,
                                int64_t frames_per_chunk, const Progress& progress) const {
  return encode_rows(pixels_BCTHW, frames_per_chunk, progress, &slabs);
}

at::Tensor WanVae::encode_rows(const at::Tensor& pixels_BCTHW, int64_t frames_per_chunk,
                               const Progress& progress, RowSlabs* slabs) const {
  check_chunk_size(frames_per_chunk, kEncodeChunkFrames, "encode_chunked");
  const int64_t spatial = config_.scale_factor_spatial;
  if (pixels_BCTHW.dim() != 5 || pixels_BCTHW.size(1) != config_.pixel_channels_in() ||
      pixels_BCTHW.size(2) % kEncodeChunkFrames != 1 || pixels_BCTHW.size(3) % spatial != 0 ||
      pixels_BCTHW.size(4) % spatial != 0 || pixels_BCTHW.size(3) == 0 ||
      pixels_BCTHW.size(4) == 0) {
    throw UserError("encode: pixels must be [B, " + std::to_string(config_.pixel_channels_in()) +
                    ", 1 + 4k frames, H, W] with H and W multiples of " + std::to_string(spatial) +
                    ", got " + shape_of(pixels_BCTHW));
  }
  if (slabs != nullptr) {
    check_split_rows(pixels_BCTHW.size(3), *slabs, spatial, "encode: pixels");
  }
  const EncoderWeights& weights = encoder();
  at::NoGradGuard no_grad;
  const at::Tensor patches_BCTHW =
      patchify(own_rows(pixels_BCTHW, slabs, spatial).to(device_, dtype_), config_.patch_size);
  const int64_t num_frames = patches_BCTHW.size(2);
  FeatureCache cache;
  std::vector<at::Tensor> moments;
  int64_t start = 0;
  while (start < num_frames) {
    const int64_t length = start == 0 ? 1 : std::min(frames_per_chunk, num_frames - start);
    moments.push_back(encode_chunk(patches_BCTHW.narrow(2, start, length), weights, cache, slabs));
    start += length;
    if (progress) {
      progress(start, num_frames);
    }
  }
  const at::Tensor moments_BCTHW = point_conv(at::cat(moments, 2), weights_.quant_conv);
  // The first z_dim channels are the posterior's mean, its mode; the rest its log-variance.
  const at::Tensor latents_BCTHW = normalize_latents(moments_BCTHW.narrow(1, 0, config_.z_dim));
  return slabs != nullptr ? slabs->gather_frame(latents_BCTHW) : latents_BCTHW;
}

}  // namespace cosmos3::vae
