#include "core/pipeline/sequence_layout.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/max.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/to.h>

#include <cmath>
#include <set>

namespace cosmos3::pipeline {
namespace {

const auto kLongOptions = at::TensorOptions().dtype(at::kLong);
const auto kFloatOptions = at::TensorOptions().dtype(at::kFloat);

// The first position a following segment may take: one past the largest, rounded up.
double next_offset_after(const at::Tensor& positions_3N) {
  return std::ceil(positions_3N.max().to(at::kDouble).item<double>()) + 1;
}

}  // namespace

MropePositions text_mrope_positions(int64_t num_tokens, double temporal_offset,
                                    bool use_float_positions) {
  const at::Tensor ids =
      use_float_positions
          ? at::arange(num_tokens, kFloatOptions) + temporal_offset
          : at::arange(num_tokens, kLongOptions) + static_cast<int64_t>(temporal_offset);
  return {ids.unsqueeze(0).expand({3, -1}).contiguous(),
          temporal_offset + static_cast<double>(num_tokens)};
}

MropePositions vision_mrope_positions(int64_t grid_t, int64_t grid_h, int64_t grid_w,
                                      double temporal_offset, bool reset_spatial_indices,
                                      std::optional<double> fps, double base_fps,
                                      int64_t temporal_compression_factor) {
  const bool fps_modulation = fps.has_value() && grid_t > 1;
  const int64_t spatial = grid_h * grid_w;
  at::Tensor t_index;
  if (fps_modulation) {
    const double tokens_per_second = *fps / static_cast<double>(temporal_compression_factor);
    const double base_tokens_per_second =
        base_fps / static_cast<double>(temporal_compression_factor);
    const at::Tensor scaled =
        at::arange(grid_t, kFloatOptions) / tokens_per_second * base_tokens_per_second +
        temporal_offset;
    t_index = scaled.view({-1, 1}).expand({-1, spatial}).flatten();
  } else {
    t_index = at::arange(grid_t, kLongOptions).view({-1, 1}).expand({-1, spatial}).flatten() +
              static_cast<int64_t>(temporal_offset);
  }
  at::Tensor h_index =
      at::arange(grid_h, kLongOptions).view({1, -1, 1}).expand({grid_t, -1, grid_w}).flatten();
  at::Tensor w_index =
      at::arange(grid_w, kLongOptions).view({1, 1, -1}).expand({grid_t, grid_h, -1}).flatten();
  if (!reset_spatial_indices) {
    h_index = h_index + static_cast<int64_t>(temporal_offset);
    w_index = w_index + static_cast<int64_t>(temporal_offset);
  }
  const at::Tensor positions =
      fps_modulation ? at::stack({t_index, h_index.to(at::kFloat), w_index.to(at::kFloat)})
                     : at::stack({t_index, h_index, w_index});
  return {positions, next_offset_after(positions)};
}

TextSegment prepare_text_segment(const std::vector<int64_t>& input_ids,
                                 const model::TransformerConfig& config) {
  const auto und_len = static_cast<int64_t>(input_ids.size());
  const MropePositions text = text_mrope_positions(und_len, 0, config.enable_fps_modulation);
  return TextSegment{at::tensor(input_ids, kLongOptions), at::arange(und_len, kLongOptions),
                     und_len, text.positions_3N,
                     text.next_temporal_offset +
                         static_cast<double>(config.unified_3d_mrope_temporal_modality_margin)};
}

VisionSegment prepare_vision_segment(const std::vector<int64_t>& latent_shape,
                                     const std::vector<int64_t>& condition_frame_indexes,
                                     double temporal_offset, double fps, int64_t sequence_start,
                                     const model::TransformerConfig& config,
                                     int64_t vae_temporal_compression) {
  const int64_t patch = config.latent_patch_size;
  const int64_t latent_t = latent_shape[2];
  const int64_t patch_h = (latent_shape[3] + patch - 1) / patch;
  const int64_t patch_w = (latent_shape[4] + patch - 1) / patch;
  const int64_t frame_stride = patch_h * patch_w;

  const std::set<int64_t> conditioned(condition_frame_indexes.begin(),
                                      condition_frame_indexes.end());
  std::vector<int64_t> noisy_frames;
  std::vector<int64_t> mse_indexes;
  for (int64_t frame = 0; frame < latent_t; ++frame) {
    if (conditioned.count(frame) != 0) {
      continue;
    }
    noisy_frames.push_back(frame);
    for (int64_t token = 0; token < frame_stride; ++token) {
      mse_indexes.push_back(sequence_start + frame * frame_stride + token);
    }
  }
  const std::optional<double> modulation_fps =
      config.enable_fps_modulation ? std::optional<double>(fps) : std::nullopt;
  VisionSegment segment;
  segment.token_shape = {latent_t, patch_h, patch_w};
  segment.num_tokens = latent_t * frame_stride;
  segment.num_noisy_tokens = static_cast<int64_t>(noisy_frames.size()) * frame_stride;
  segment.sequence_indexes =
      at::arange(sequence_start, sequence_start + segment.num_tokens, kLongOptions);
  segment.mse_loss_indexes = at::tensor(mse_indexes, kLongOptions);
  segment.noisy_frame_indexes = at::tensor(noisy_frames, kLongOptions);
  segment.positions_3N =
      vision_mrope_positions(latent_t, patch_h, patch_w, temporal_offset,
                             config.unified_3d_mrope_reset_spatial_ids, modulation_fps,
                             static_cast<double>(config.base_fps), vae_temporal_compression)
          .positions_3N;
  return segment;
}

}  // namespace cosmos3::pipeline
