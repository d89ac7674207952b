#pragma once
// The denoise loop of an action job: vision and action tokens in one sequence per CFG branch,
// each modality with its own sampler (the reference steps actions with a copy of the vision
// scheduler), conditioned vision frames and clean action tokens masked out of the velocity, and
// the action columns beyond the domain's width held at zero throughout.
//
// Shape legend: latents_BCTHW [1, C, T, H, W]; actions_TD [chunk, action_dim].

#include "core/pipeline/action_segment.h"
#include "core/pipeline/denoise_loop.h"

#include <optional>

namespace cosmos3::pipeline {

struct ActionBranchLayout {
  BranchLayout base;  // text and vision; position_ids and length include the actions
  ActionSegment action;
};

ActionBranchLayout build_action_branch(const std::vector<int64_t>& input_ids,
                                       const std::vector<int64_t>& latent_shape, double fps,
                                       const std::vector<int64_t>& vision_condition_frames,
                                       const ActionTokens& action_tokens, int64_t domain_id,
                                       const model::TransformerConfig& config,
                                       int64_t vae_temporal_compression);

struct ActionDenoiseState {
  at::Tensor latents_BCTHW;
  at::Tensor actions_TD;
};

struct ActionDenoiseResult {
  ActionDenoiseState state;
  int64_t num_steps_done = 0;
  bool cancelled = false;
};

struct ActionLoopInputs {
  const ActionBranchLayout& cond;
  const std::optional<ActionBranchLayout>& uncond;
  const at::Tensor& vision_mask_T11;  // 1 on conditioned latent frames
  const at::Tensor& action_mask_T1;   // 1 on clean action tokens
  int64_t raw_action_width;
  double guidance_scale;
};

// Runs every step of `vision_sampler` (with `action_sampler` on the same schedule) on the
// device `start` is on.
ActionDenoiseResult denoise_with_actions(const model::Transformer& transformer,
                                         const ActionLoopInputs& inputs, Sampler& vision_sampler,
                                         Sampler& action_sampler, ActionDenoiseState start,
                                         GuidanceRunner& guidance,
                                         const DenoiseCallbacks& callbacks = {});

}  // namespace cosmos3::pipeline
