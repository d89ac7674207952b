#pragma once
// The VAE's blocks, run on one temporal chunk. Causal layers take their caches from `cache`
// in a fixed order, so the same call sequence on every chunk finds the same slots. `slabs`
// (null: whole frames) splits every frame by rows across processes; see row_slabs.h.
//
// Shape legend: B batch, C channels, T frames, H height, W width.

#include "core/vae/causal_conv.h"
#include "core/vae/vae_weights.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::vae {

// norm, silu, causal 3x3x3 conv, twice, plus a (1x1x1-projected) shortcut.
at::Tensor residual_block(const at::Tensor& x_BCTHW, const ResidualBlockWeights& weights,
                          FeatureCache& cache, RowSlabs* slabs);

// resnet, attention, resnet.
at::Tensor mid_block(const at::Tensor& x_BCTHW, const MidBlockWeights& weights, FeatureCache& cache,
                     RowSlabs* slabs);

// Halves H and W (and T in the 3d mode, from the second chunk on, with the previous chunk's
// last frame in front), or doubles them (T from the second chunk on; the first chunk's frames
// pass through the temporal stage untouched, as in the reference).
at::Tensor resample(const at::Tensor& x_BCTHW, const ResampleWeights& weights, FeatureCache& cache,
                    RowSlabs* slabs);

at::Tensor down_block(const at::Tensor& x_BCTHW, const DownBlockWeights& weights,
                      FeatureCache& cache, RowSlabs* slabs);

at::Tensor up_block(const at::Tensor& x_BCTHW, const UpBlockWeights& weights, FeatureCache& cache,
                    bool first_chunk, RowSlabs* slabs);

// RMS norm and silu, then a causal 3x3x3 conv: the head of the encoder and decoder.
at::Tensor output_head(const at::Tensor& x_BCTHW, const RmsNorm& norm, const Conv& conv,
                       FeatureCache& cache, RowSlabs* slabs);

}  // namespace cosmos3::vae
