#pragma once
// The encoder and decoder stacks, one temporal chunk per call. The caller owns the caches and
// feeds chunks in order; see WanVae for the chunking the reference uses. With `slabs` each
// process passes and gets its own rows only (row_slabs.h); null means whole frames.
//
// Shape legend: B batch, C channels, T frames, H height, W width (patchified pixel space).

#include "core/vae/causal_conv.h"
#include "core/vae/row_slabs.h"
#include "core/vae/vae_weights.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::vae {

// Patchified pixels [B, in_channels, T, H, W] -> posterior moments [B, 2 * z_dim, T', H/8, W/8]
// (before quant_conv).
at::Tensor encode_chunk(const at::Tensor& patches_BCTHW, const EncoderWeights& weights,
                        FeatureCache& cache, RowSlabs* slabs = nullptr);

// Latents [B, z_dim, T, h, w] (after post_quant_conv) -> patchified pixels
// [B, out_channels, T', 8h, 8w]. `first_chunk` marks the clip's first latent frame, which
// gives one output frame; every later latent frame gives scale_factor_temporal frames.
at::Tensor decode_chunk(const at::Tensor& latents_BCTHW, const DecoderWeights& weights,
                        FeatureCache& cache, bool first_chunk, RowSlabs* slabs = nullptr);

}  // namespace cosmos3::vae
