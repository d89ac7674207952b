#include "core/vae/vae_blocks.h"

#include "core/vae/vae_layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_upsample_nearest_exact2d.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/conv3d.h>
#include <ATen/ops/silu.h>

#include <array>

namespace cosmos3::vae {
namespace {

// Downsample3d: a stride-2 (3, 1, 1) conv over the previous chunk's last frame and this chunk.
// The first chunk only leaves its last frame behind, as in the reference.
at::Tensor halve_time(const at::Tensor& x_BCTHW, const Conv& conv, CausalCache& cache) {
  const at::Tensor last_frame = x_BCTHW.narrow(2, x_BCTHW.size(2) - 1, 1).clone();
  if (!cache.started) {
    cache.started = true;
    cache.frames_BCTHW = last_frame;
    return x_BCTHW;
  }
  const at::Tensor input_BCTHW = at::cat({cache.frames_BCTHW, x_BCTHW}, 2);
  cache.frames_BCTHW = last_frame;
  return at::conv3d(input_BCTHW, conv.weight, conv.bias, {2, 1, 1});
}

// Upsample3d: a causal (3, 1, 1) conv emits two frames' channels per frame, interleaved into
// time. The reference skips it on the first chunk and starts the next one from zeros.
at::Tensor double_time(const at::Tensor& x_BCTHW, const Conv& conv, CausalCache& cache) {
  if (!cache.started) {
    cache.started = true;
    return x_BCTHW;
  }
  const at::Tensor pairs = causal_conv3d(x_BCTHW, conv, &cache);
  const int64_t batch = x_BCTHW.size(0);
  const int64_t channels = x_BCTHW.size(1);
  const int64_t frames = x_BCTHW.size(2);
  return pairs.reshape({batch, 2, channels, frames, x_BCTHW.size(3), x_BCTHW.size(4)})
      .permute({0, 2, 3, 1, 4, 5})
      .reshape({batch, channels, frames * 2, x_BCTHW.size(3), x_BCTHW.size(4)});
}

// Nearest upsampling copies values, so it runs in the input dtype: the reference's round trip
// through fp32 gives the same bits.
at::Tensor upsample_frames(const at::Tensor& frames_NCHW, const Conv& conv) {
  const at::Tensor doubled = at::_upsample_nearest_exact2d(
      frames_NCHW, {frames_NCHW.size(2) * 2, frames_NCHW.size(3) * 2}, 2.0, 2.0);
  return at::conv2d(doubled, conv.weight, conv.bias, {1, 1}, {1, 1});
}

// Split by rows: output rows [2a, 2b) of a slab of rows [a, b) read doubled rows [2a - 1,
// 2b + 1), copies of rows a - 1 and b. So one halo row each side is exchanged before the
// doubling (half the bytes of exchanging after it), then the outer copy of each is dropped;
// a zero row at the frame's border doubles into the conv's zero padding.
at::Tensor upsample_slab(const at::Tensor& x_BCTHW, const Conv& conv, RowSlabs& slabs) {
  const at::Tensor rows_BCTHW = slabs.add_halo(x_BCTHW, 1, 1);
  return per_frame(rows_BCTHW, [&](const at::Tensor& frames_NCHW) {
    const at::Tensor doubled = at::_upsample_nearest_exact2d(
        frames_NCHW, {frames_NCHW.size(2) * 2, frames_NCHW.size(3) * 2}, 2.0, 2.0);
    const at::Tensor needed = doubled.narrow(2, 1, doubled.size(2) - 2);
    // Rows are already padded; columns get the conv's own zero padding.
    const std::array<int64_t, 2> padding{0, 1};
    return at::conv2d(needed, conv.weight, conv.bias, {1, 1}, padding);
  });
}

// Pads one row and column at the far edges, then a stride-2 3x3 conv.
at::Tensor downsample_frames(const at::Tensor& frames_NCHW, const Conv& conv) {
  return at::conv2d(at::constant_pad_nd(frames_NCHW, {0, 1, 0, 1}), conv.weight, conv.bias, {2, 2});
}

// Split by rows: output row i reads rows 2i .. 2i + 2, so a slab (of even rows, starting at an
// even row) needs the next slab's first row below it, or the zero row at the frame's bottom.
at::Tensor downsample_slab(const at::Tensor& x_BCTHW, const Conv& conv, RowSlabs& slabs) {
  return per_frame(slabs.add_halo(x_BCTHW, 0, 1), [&](const at::Tensor& frames_NCHW) {
    return at::conv2d(at::constant_pad_nd(frames_NCHW, {0, 1, 0, 0}), conv.weight, conv.bias,
                      {2, 2});
  });
}

at::Tensor upsample_spatial(const at::Tensor& x_BCTHW, const Conv& conv, RowSlabs* slabs) {
  if (slabs != nullptr) {
    return upsample_slab(x_BCTHW, conv, *slabs);
  }
  return per_frame(x_BCTHW,
                   [&](const at::Tensor& frames) { return upsample_frames(frames, conv); });
}

at::Tensor downsample_spatial(const at::Tensor& x_BCTHW, const Conv& conv, RowSlabs* slabs) {
  if (slabs != nullptr) {
    return downsample_slab(x_BCTHW, conv, *slabs);
  }
  return per_frame(x_BCTHW,
                   [&](const at::Tensor& frames) { return downsample_frames(frames, conv); });
}

}  // namespace

at::Tensor residual_block(const at::Tensor& x_BCTHW, const ResidualBlockWeights& weights,
                          FeatureCache& cache, RowSlabs* slabs) {
  const at::Tensor shortcut =
      weights.conv_shortcut ? causal_conv3d(x_BCTHW, *weights.conv_shortcut, nullptr) : x_BCTHW;
  at::Tensor hidden = at::silu(rms_norm(x_BCTHW, weights.norm1));
  hidden = causal_conv3d(hidden, weights.conv1, &cache.next_slot(), slabs);
  hidden = at::silu(rms_norm(hidden, weights.norm2));
  hidden = causal_conv3d(hidden, weights.conv2, &cache.next_slot(), slabs);
  return hidden + shortcut;
}

at::Tensor mid_block(const at::Tensor& x_BCTHW, const MidBlockWeights& weights, FeatureCache& cache,
                     RowSlabs* slabs) {
  at::Tensor hidden = residual_block(x_BCTHW, weights.first, cache, slabs);
  hidden = attention_block(hidden, weights.attention, slabs);
  return residual_block(hidden, weights.second, cache, slabs);
}

at::Tensor resample(const at::Tensor& x_BCTHW, const ResampleWeights& weights, FeatureCache& cache,
                    RowSlabs* slabs) {
  switch (weights.mode) {
    case ResampleMode::kUpsample3d: {
      // The temporal conv is (3, 1, 1): it reads no other rows.
      const at::Tensor doubled = double_time(x_BCTHW, weights.temporal, cache.next_slot());
      return upsample_spatial(doubled, weights.spatial, slabs);
    }
    case ResampleMode::kUpsample2d:
      return upsample_spatial(x_BCTHW, weights.spatial, slabs);
    case ResampleMode::kDownsample3d:
      return halve_time(downsample_spatial(x_BCTHW, weights.spatial, slabs), weights.temporal,
                        cache.next_slot());
    case ResampleMode::kDownsample2d:
      return downsample_spatial(x_BCTHW, weights.spatial, slabs);
  }
  TORCH_CHECK(false, "unknown resample mode");
}

// The averaging and duplicating shortcuts work on 2 x 2 cells, which never straddle two slabs:
// slabs start at whole latent rows, a multiple of every stage's cell.
at::Tensor down_block(const at::Tensor& x_BCTHW, const DownBlockWeights& weights,
                      FeatureCache& cache, RowSlabs* slabs) {
  at::Tensor hidden = x_BCTHW;
  for (const ResidualBlockWeights& resnet : weights.resnets) {
    hidden = residual_block(hidden, resnet, cache, slabs);
  }
  if (weights.downsampler) {
    hidden = resample(hidden, *weights.downsampler, cache, slabs);
  }
  return hidden + average_down(x_BCTHW, weights.out_dim, weights.factor_t, weights.factor_s);
}

at::Tensor up_block(const at::Tensor& x_BCTHW, const UpBlockWeights& weights, FeatureCache& cache,
                    bool first_chunk, RowSlabs* slabs) {
  at::Tensor hidden = x_BCTHW;
  for (const ResidualBlockWeights& resnet : weights.resnets) {
    hidden = residual_block(hidden, resnet, cache, slabs);
  }
  if (!weights.upsampler) {
    return hidden;
  }
  hidden = resample(hidden, *weights.upsampler, cache, slabs);
  return hidden + duplicate_up(x_BCTHW, weights.out_dim, weights.factor_t, 2, first_chunk);
}

at::Tensor output_head(const at::Tensor& x_BCTHW, const RmsNorm& norm, const Conv& conv,
                       FeatureCache& cache, RowSlabs* slabs) {
  return causal_conv3d(at::silu(rms_norm(x_BCTHW, norm)), conv, &cache.next_slot(), slabs);
}

}  // namespace cosmos3::vae
