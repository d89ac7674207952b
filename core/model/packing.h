#pragma once
// Between per-item latents and the packed token rows the transformer works on.
//
// Shape legend: C latent channels, T frames, H/W latent height/width, P patch size,
// N packed tokens.

#include <ATen/core/Tensor.h>

#include <array>
#include <vector>

namespace cosmos3::model {

// latent [1, C, T, H, W] -> [T * ceil(H/P) * ceil(W/P), P * P * C], zero-padding H and W up to
// multiples of P; rows run over (t, h, w), features over (p_h, p_w, c).
at::Tensor patchify(const at::Tensor& latent_1CTHW, int64_t patch_size);

// Predictions for the noisy frames [t_noisy * h_patches * w_patches, P * P * C] -> a latent
// [1, C, T, H, W] with those frames filled and the conditioning frames zero.
at::Tensor unpatchify(const at::Tensor& predictions_ND, const std::array<int64_t, 3>& token_shape,
                      const at::Tensor& noisy_frame_indexes, int64_t height, int64_t width,
                      int64_t patch_size);

// Rows of the packed tokens that belong to noisy frames, item after item, in the order the
// per-token timesteps are given.
at::Tensor noisy_token_rows(const std::vector<at::Tensor>& noisy_frame_indexes,
                            const std::vector<std::array<int64_t, 3>>& token_shapes);

// Per item: rows [n, D] of `predictions_ND`, in order, placed at the item's noisy frames of a
// zero tensor [T, D]. Used for sound (then transposed) and action.
std::vector<at::Tensor> scatter_frame_predictions(
    const at::Tensor& predictions_ND, const std::vector<std::array<int64_t, 3>>& token_shapes,
    const std::vector<at::Tensor>& noisy_frame_indexes);

}  // namespace cosmos3::model
