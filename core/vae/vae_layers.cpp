#include "core/vae/vae_layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/linalg_vector_norm.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/repeat_interleave.h>
#include <ATen/ops/scaled_dot_product_attention.h>

#include <cmath>

namespace cosmos3::vae {
namespace {

// F.normalize's floor on the norm.
constexpr double kNormalizeEps = 1e-12;

}  // namespace

at::Tensor rms_norm(const at::Tensor& x, const RmsNorm& norm) {
  const bool half_type = x.scalar_type() == at::kBFloat16 || x.scalar_type() == at::kHalf;
  const at::Tensor input = half_type ? x.to(at::kFloat) : x;
  const at::Tensor length = at::linalg_vector_norm(input, 2, {1}, true).clamp_min(kNormalizeEps);
  const at::Tensor normalized = (input / length).to(x.scalar_type());
  const double scale = std::sqrt(static_cast<double>(x.size(1)));
  return normalized * scale * norm.gamma;
}

at::Tensor attention_block(const at::Tensor& x_BCTHW, const AttentionBlockWeights& weights,
                           RowSlabs* slabs) {
  if (slabs != nullptr) {
    // The whole frame's attention, then this slab's rows of it. Asking only this slab's
    // queries would save compute, but the CPU attention kernel blocks its sums by the number
    // of queries, which moved results by an ulp; at the latent resolution it costs little.
    const at::Tensor frames_BCTHW = slabs->gather_frame(x_BCTHW);
    return attention_block(frames_BCTHW, weights)
        .narrow(3, slabs->first_row_at(x_BCTHW), x_BCTHW.size(3));
  }
  const at::Tensor attended = per_frame(x_BCTHW, [&](const at::Tensor& frames_NCHW) {
    const int64_t num_frames = frames_NCHW.size(0);
    const int64_t channels = frames_NCHW.size(1);
    const int64_t height = frames_NCHW.size(2);
    const int64_t width = frames_NCHW.size(3);
    const at::Tensor normed = rms_norm(frames_NCHW, weights.norm);
    // [N, 3C, H, W] -> [N, 1 head, H*W tokens, 3C]
    const at::Tensor qkv_N1SD = at::conv2d(normed, weights.to_qkv.weight, weights.to_qkv.bias)
                                    .reshape({num_frames, 1, 3 * channels, height * width})
                                    .permute({0, 1, 3, 2})
                                    .contiguous();
    const auto qkv = qkv_N1SD.chunk(3, -1);
    const at::Tensor out_N1SD = at::scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
    const at::Tensor out_NCHW =
        out_N1SD.squeeze(1).permute({0, 2, 1}).reshape({num_frames, channels, height, width});
    return at::conv2d(out_NCHW, weights.proj.weight, weights.proj.bias);
  });
  return attended + x_BCTHW;
}

at::Tensor patchify(const at::Tensor& pixels_BCTHW, int64_t patch_size) {
  if (patch_size == 1) {
    return pixels_BCTHW;
  }
  const int64_t batch = pixels_BCTHW.size(0);
  const int64_t channels = pixels_BCTHW.size(1);
  const int64_t frames = pixels_BCTHW.size(2);
  const int64_t rows = pixels_BCTHW.size(3) / patch_size;
  const int64_t columns = pixels_BCTHW.size(4) / patch_size;
  return pixels_BCTHW.reshape({batch, channels, frames, rows, patch_size, columns, patch_size})
      .permute({0, 1, 6, 4, 2, 3, 5})
      .reshape({batch, channels * patch_size * patch_size, frames, rows, columns});
}

at::Tensor unpatchify(const at::Tensor& patches_BCTHW, int64_t patch_size) {
  if (patch_size == 1) {
    return patches_BCTHW;
  }
  const int64_t batch = patches_BCTHW.size(0);
  const int64_t channels = patches_BCTHW.size(1) / (patch_size * patch_size);
  const int64_t frames = patches_BCTHW.size(2);
  const int64_t rows = patches_BCTHW.size(3);
  const int64_t columns = patches_BCTHW.size(4);
  return patches_BCTHW.reshape({batch, channels, patch_size, patch_size, frames, rows, columns})
      .permute({0, 1, 4, 5, 3, 6, 2})
      .reshape({batch, channels, frames, rows * patch_size, columns * patch_size});
}

at::Tensor average_down(const at::Tensor& x_BCTHW, int64_t out_channels, int64_t factor_t,
                        int64_t factor_s) {
  const int64_t missing_frames = (factor_t - x_BCTHW.size(2) % factor_t) % factor_t;
  const at::Tensor padded =
      missing_frames > 0 ? at::constant_pad_nd(x_BCTHW, {0, 0, 0, 0, missing_frames, 0}) : x_BCTHW;
  const int64_t batch = padded.size(0);
  const int64_t channels = padded.size(1);
  const int64_t frames = padded.size(2) / factor_t;
  const int64_t rows = padded.size(3) / factor_s;
  const int64_t columns = padded.size(4) / factor_s;
  const int64_t cell = factor_t * factor_s * factor_s;
  const int64_t group = channels * cell / out_channels;
  return padded.reshape({batch, channels, frames, factor_t, rows, factor_s, columns, factor_s})
      .permute({0, 1, 3, 5, 7, 2, 4, 6})
      .reshape({batch, out_channels, group, frames, rows, columns})
      .mean(2);
}

at::Tensor duplicate_up(const at::Tensor& x_BCTHW, int64_t out_channels, int64_t factor_t,
                        int64_t factor_s, bool first_chunk) {
  const int64_t batch = x_BCTHW.size(0);
  const int64_t frames = x_BCTHW.size(2);
  const int64_t rows = x_BCTHW.size(3);
  const int64_t columns = x_BCTHW.size(4);
  const int64_t cell = factor_t * factor_s * factor_s;
  const int64_t repeats = out_channels * cell / x_BCTHW.size(1);
  const at::Tensor expanded =
      at::repeat_interleave(x_BCTHW, repeats, 1)
          .reshape({batch, out_channels, factor_t, factor_s, factor_s, frames, rows, columns})
          .permute({0, 1, 5, 2, 6, 3, 7, 4})
          .reshape({batch, out_channels, frames * factor_t, rows * factor_s, columns * factor_s});
  if (first_chunk && factor_t > 1) {
    return expanded.narrow(2, factor_t - 1, expanded.size(2) - (factor_t - 1));
  }
  return expanded;
}

}  // namespace cosmos3::vae
