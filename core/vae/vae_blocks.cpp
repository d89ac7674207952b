#include "core/vae/vae_blocks.h"

#include "core/vae/vae_layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_upsample_nearest_exact2d.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/conv3d.h>
#include <ATen/ops/silu.h>

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

// Pads one row and column at the far edges, then a stride-2 3x3 conv.
at::Tensor downsample_frames(const at::Tensor& frames_NCHW, const Conv& conv) {
  return at::conv2d(at::constant_pad_nd(frames_NCHW, {0, 1, 0, 1}), conv.weight, conv.bias, {2, 2});
}

}  // namespace

at::Tensor residual_block(const at::Tensor& x_BCTHW, const ResidualBlockWeights& weights,
                          FeatureCache& cache) {
  const at::Tensor shortcut =
      weights.conv_shortcut ? causal_conv3d(x_BCTHW, *weights.conv_shortcut, nullptr) : x_BCTHW;
  at::Tensor hidden = at::silu(rms_norm(x_BCTHW, weights.norm1));
  hidden = causal_conv3d(hidden, weights.conv1, &cache.next_slot());
  hidden = at::silu(rms_norm(hidden, weights.norm2));
  hidden = causal_conv3d(hidden, weights.conv2, &cache.next_slot());
  return hidden + shortcut;
}

at::Tensor mid_block(const at::Tensor& x_BCTHW, const MidBlockWeights& weights,
                     FeatureCache& cache) {
  at::Tensor hidden = residual_block(x_BCTHW, weights.first, cache);
  hidden = attention_block(hidden, weights.attention);
  return residual_block(hidden, weights.second, cache);
}

at::Tensor resample(const at::Tensor& x_BCTHW, const ResampleWeights& weights,
                    FeatureCache& cache) {
  switch (weights.mode) {
    case ResampleMode::kUpsample3d: {
      const at::Tensor doubled = double_time(x_BCTHW, weights.temporal, cache.next_slot());
      return per_frame(doubled, [&](const at::Tensor& frames) {
        return upsample_frames(frames, weights.spatial);
      });
    }
    case ResampleMode::kUpsample2d:
      return per_frame(x_BCTHW, [&](const at::Tensor& frames) {
        return upsample_frames(frames, weights.spatial);
      });
    case ResampleMode::kDownsample3d: {
      const at::Tensor halved = per_frame(x_BCTHW, [&](const at::Tensor& frames) {
        return downsample_frames(frames, weights.spatial);
      });
      return halve_time(halved, weights.temporal, cache.next_slot());
    }
    case ResampleMode::kDownsample2d:
      return per_frame(x_BCTHW, [&](const at::Tensor& frames) {
        return downsample_frames(frames, weights.spatial);
      });
  }
  TORCH_CHECK(false, "unknown resample mode");
}

at::Tensor down_block(const at::Tensor& x_BCTHW, const DownBlockWeights& weights,
                      FeatureCache& cache) {
  at::Tensor hidden = x_BCTHW;
  for (const ResidualBlockWeights& resnet : weights.resnets) {
    hidden = residual_block(hidden, resnet, cache);
  }
  if (weights.downsampler) {
    hidden = resample(hidden, *weights.downsampler, cache);
  }
  return hidden + average_down(x_BCTHW, weights.out_dim, weights.factor_t, weights.factor_s);
}

at::Tensor up_block(const at::Tensor& x_BCTHW, const UpBlockWeights& weights, FeatureCache& cache,
                    bool first_chunk) {
  at::Tensor hidden = x_BCTHW;
  for (const ResidualBlockWeights& resnet : weights.resnets) {
    hidden = residual_block(hidden, resnet, cache);
  }
  if (!weights.upsampler) {
    return hidden;
  }
  hidden = resample(hidden, *weights.upsampler, cache);
  return hidden + duplicate_up(x_BCTHW, weights.out_dim, weights.factor_t, 2, first_chunk);
}

at::Tensor output_head(const at::Tensor& x_BCTHW, const RmsNorm& norm, const Conv& conv,
                       FeatureCache& cache) {
  return causal_conv3d(at::silu(rms_norm(x_BCTHW, norm)), conv, &cache.next_slot());
}

}  // namespace cosmos3::vae
