#pragma once
// The joint sequence of one transfer pass: the text, then each control's latents as a clean
// vision item (no noisy frame, so no timestep embedding and no prediction read back), then the
// target. Every vision item starts at the same mRoPE temporal offset, so a control frame and the
// target frame it steers share their time position; they differ only in where they sit in the
// sequence. The pass without controls has the text and the target alone.
//
// Shape legend: latents [1, C, T, H, W].

#include "core/model/transformer_io.h"
#include "core/pipeline/sequence_layout.h"

#include <vector>

namespace cosmos3::pipeline {

struct TransferBranchLayout {
  TextSegment text;
  std::vector<VisionSegment> items;  // controls in canonical order, then the target
  at::Tensor position_ids;           // [3, sequence_length]
  int64_t sequence_length = 0;
  int64_t num_noisy_tokens = 0;  // the target's tokens outside its conditioned frames
};

// `control_latent_shapes` is empty for the pass without controls.
TransferBranchLayout build_transfer_branch(
    const std::vector<int64_t>& input_ids,
    const std::vector<std::vector<int64_t>>& control_latent_shapes,
    const std::vector<int64_t>& target_latent_shape,
    const std::vector<int64_t>& target_condition_frames, double fps,
    const model::TransformerConfig& config, int64_t vae_temporal_compression);

// The transformer's inputs for `branch` at one step: `vision_items` are the control latents
// (one per control item of the branch) followed by the target's current latents, all in the
// transformer's dtype; `timesteps` holds one value per noisy target token.
model::TransformerInputs transfer_inputs(const TransferBranchLayout& branch,
                                         std::vector<at::Tensor> vision_items,
                                         const at::Tensor& timesteps);

}  // namespace cosmos3::pipeline
