#pragma once
// Where each token of a generation sits in the joint sequence, and its 3-axis mRoPE position:
// the text (understanding) prefix first, then the vision latents' patches. This part depends
// only on the prompt length and the latent shape, so it is built once per prompt and CFG
// branch and reused at every denoising step.
//
// Shape legend: N tokens; positions are [3, N] rows (t, h, w).

#include "core/model/transformer_config.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <vector>

namespace cosmos3::pipeline {

struct MropePositions {
  at::Tensor positions_3N;      // float32 under fps modulation, else int64
  double next_temporal_offset;  // where a following segment may start
};

// Text: all three axes count up from `temporal_offset`.
MropePositions text_mrope_positions(int64_t num_tokens, double temporal_offset,
                                    bool use_float_positions);

// Vision patches of a [grid_t, grid_h, grid_w] grid. With `fps` (and more than one frame) the
// temporal axis is rescaled to the base frame rate, so videos of any fps share one time scale.
MropePositions vision_mrope_positions(int64_t grid_t, int64_t grid_h, int64_t grid_w,
                                      double temporal_offset, bool reset_spatial_indices,
                                      std::optional<double> fps, double base_fps,
                                      int64_t temporal_compression_factor);

struct TextSegment {
  at::Tensor input_ids;     // [N_text] int64
  at::Tensor text_indexes;  // [N_text]
  int64_t und_len = 0;
  at::Tensor positions_3N;
  // Vision (and sound) positions start after the text plus the model's modality margin.
  double vision_start_temporal_offset = 0;
};

struct VisionSegment {
  std::array<int64_t, 3> token_shape{};  // patch grid (T, H, W)
  at::Tensor sequence_indexes;
  at::Tensor mse_loss_indexes;     // tokens of the noisy frames
  at::Tensor noisy_frame_indexes;  // latent frames not fixed by conditioning
  at::Tensor positions_3N;
  int64_t num_tokens = 0;
  int64_t num_noisy_tokens = 0;
};

TextSegment prepare_text_segment(const std::vector<int64_t>& input_ids,
                                 const model::TransformerConfig& config);

// `latent_shape` is [1, C, T, H, W]; `sequence_start` is where the vision tokens begin.
VisionSegment prepare_vision_segment(const std::vector<int64_t>& latent_shape,
                                     const std::vector<int64_t>& condition_frame_indexes,
                                     double temporal_offset, double fps, int64_t sequence_start,
                                     const model::TransformerConfig& config,
                                     int64_t vae_temporal_compression);

}  // namespace cosmos3::pipeline
