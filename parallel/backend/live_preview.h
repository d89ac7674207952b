#pragma once
// Live previews while a job denoises: the clean-latent estimate of flow matching,
// x0 = x_t - sigma_t * v, decoded for one latent frame at low resolution. Decoding a pooled
// latent keeps the preview's cost a small fraction of a step at any output size.
//
// Shape legend: latents_BCTHW and velocity_BCTHW [1, C, T, H, W].

#include "core/vae/wan_vae.h"

#include <ATen/core/Tensor.h>

#include <filesystem>

namespace cosmos3::backend {

// Preview images are at most this wide.
inline constexpr int64_t kPreviewMaxWidth = 256;

// Writes the middle latent frame's estimate as a JPEG at `image` (atomically).
void write_live_preview(const vae::WanVae& vae, const at::Tensor& latents_BCTHW,
                        const at::Tensor& velocity_BCTHW, double sigma,
                        const std::filesystem::path& image);

}  // namespace cosmos3::backend
