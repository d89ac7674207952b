#pragma once
// The VAE's stateless pieces: channel RMS norm, per-frame attention, the pixel patchify, and
// the parameter-free shortcuts of the residual up/down blocks.
//
// Shape legend: B batch, C channels, T frames, H height, W width, N = B * T frames as a batch.

#include "core/vae/row_slabs.h"
#include "core/vae/vae_weights.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::vae {

// x / ||x||_2 over channels (in fp32 for half types, as the reference), times sqrt(C) * gamma.
at::Tensor rms_norm(const at::Tensor& x, const RmsNorm& norm);

// Single-head attention over the pixels of each frame, plus the input. With `slabs` the whole
// frames are gathered, attended, and this slab's rows of the result kept.
at::Tensor attention_block(const at::Tensor& x_BCTHW, const AttentionBlockWeights& weights,
                           RowSlabs* slabs = nullptr);

// Runs a 2-D op on every frame: [B, C, T, H, W] -> [B*T, C, H, W] -> op -> back.
template <typename FrameOp>
at::Tensor per_frame(const at::Tensor& x_BCTHW, FrameOp&& op) {
  const int64_t batch = x_BCTHW.size(0);
  const int64_t frames = x_BCTHW.size(2);
  const at::Tensor frames_NCHW =
      x_BCTHW.permute({0, 2, 1, 3, 4})
          .reshape({batch * frames, x_BCTHW.size(1), x_BCTHW.size(3), x_BCTHW.size(4)});
  const at::Tensor out_NCHW = op(frames_NCHW);
  return out_NCHW.view({batch, frames, out_NCHW.size(1), out_NCHW.size(2), out_NCHW.size(3)})
      .permute({0, 2, 1, 3, 4});
}

// [B, C, T, H, W] -> [B, C*p*p, T, H/p, W/p] and back, with the reference's channel order
// (channel, then column offset, then row offset).
at::Tensor patchify(const at::Tensor& pixels_BCTHW, int64_t patch_size);
at::Tensor unpatchify(const at::Tensor& patches_BCTHW, int64_t patch_size);

// The down block's shortcut: pads time in front to a multiple of factor_t, folds each
// factor_t x factor_s x factor_s cell into channels and averages groups of them down to
// `out_channels`.
at::Tensor average_down(const at::Tensor& x_BCTHW, int64_t out_channels, int64_t factor_t,
                        int64_t factor_s);

// The up block's shortcut: repeats channels and unfolds them into factor_t x factor_s x
// factor_s cells. On the first chunk the leading factor_t - 1 frames are dropped, as the
// temporal upsampler emits one frame there.
at::Tensor duplicate_up(const at::Tensor& x_BCTHW, int64_t out_channels, int64_t factor_t,
                        int64_t factor_s, bool first_chunk);

}  // namespace cosmos3::vae
