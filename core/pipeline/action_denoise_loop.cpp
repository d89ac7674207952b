#include "core/pipeline/action_denoise_loop.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/full.h>
#include <ATen/ops/sum.h>
#include <ATen/ops/zeros_like.h>

namespace cosmos3::pipeline {
namespace {

model::ModalityInputs action_inputs(const ActionSegment& segment, const at::Tensor& action_tokens,
                                    const at::Tensor& action_timesteps) {
  return model::ModalityInputs{{action_tokens},          {segment.token_shape},
                               segment.sequence_indexes, segment.mse_loss_indexes,
                               action_timesteps,         {segment.noisy_frame_indexes},
                               {segment.domain_id}};
}

// Zero where the mask is 1 (or everywhere when nothing is noisy), in fp32.
at::Tensor noisy_only(const at::Tensor& prediction, const at::Tensor& mask) {
  const at::Tensor noisy_mask = (1.0 - mask).to(prediction.device(), prediction.scalar_type());
  const at::Tensor velocity =
      noisy_mask.sum().item<double>() > 0 ? prediction * noisy_mask : at::zeros_like(prediction);
  return velocity.to(at::kFloat);
}

void zero_columns_from(at::Tensor& actions_TD, int64_t raw_width) {
  actions_TD.narrow(1, raw_width, actions_TD.size(1) - raw_width).zero_();
}

struct StepTokens {
  at::Tensor vision;
  at::Tensor vision_timesteps;
  at::Tensor actions;
  at::Tensor action_timesteps;
};

// One branch's velocities, vision and actions flattened into one vector so that CFG-parallel
// ranks trade a single tensor per step.
at::Tensor branch_velocity(const model::Transformer& transformer, const ActionBranchLayout& branch,
                           const StepTokens& tokens, const ActionLoopInputs& inputs,
                           model::ModelSeams& seams) {
  model::ModalityInputs vision{{tokens.vision},
                               {branch.base.vision.token_shape},
                               branch.base.vision.sequence_indexes,
                               branch.base.vision.mse_loss_indexes,
                               tokens.vision_timesteps,
                               {branch.base.vision.noisy_frame_indexes},
                               {}};
  const model::TransformerInputs step{
      branch.base.text.input_ids,
      branch.base.text.text_indexes,
      branch.base.position_ids,
      branch.base.text.und_len,
      branch.base.sequence_length,
      std::move(vision),
      std::nullopt,
      action_inputs(branch.action, tokens.actions, tokens.action_timesteps)};
  const model::TransformerOutputs outputs = transformer.forward(step, seams);
  const at::Tensor vision_velocity = noisy_only(outputs.sample.at(0), inputs.vision_mask_T11);
  at::Tensor action_velocity = noisy_only(outputs.action.at(0), inputs.action_mask_T1);
  zero_columns_from(action_velocity, inputs.raw_action_width);
  return at::cat(
      {vision_velocity.flatten(), action_velocity.flatten().to(vision_velocity.device())});
}

}  // namespace

ActionBranchLayout build_action_branch(const std::vector<int64_t>& input_ids,
                                       const std::vector<int64_t>& latent_shape, double fps,
                                       const std::vector<int64_t>& vision_condition_frames,
                                       const ActionTokens& action_tokens, int64_t domain_id,
                                       const model::TransformerConfig& config,
                                       int64_t vae_temporal_compression) {
  BranchLayout base = build_branch(input_ids, latent_shape, fps, vision_condition_frames, config,
                                   vae_temporal_compression);
  ActionSegment action =
      prepare_action_segment(action_tokens.clean_TD.size(0), action_tokens.condition_indexes,
                             domain_id, base.text.vision_start_temporal_offset, fps,
                             base.sequence_length, config, vae_temporal_compression);
  base.position_ids = at::cat({base.position_ids, action.positions_3N}, 1);
  base.sequence_length += action.num_tokens;
  return ActionBranchLayout{std::move(base), std::move(action)};
}

ActionDenoiseResult denoise_with_actions(const model::Transformer& transformer,
                                         const ActionLoopInputs& inputs, Sampler& vision_sampler,
                                         Sampler& action_sampler, ActionDenoiseState start,
                                         GuidanceRunner& guidance,
                                         const DenoiseCallbacks& callbacks) {
  const std::vector<double> timesteps = vision_sampler.timesteps();
  const auto num_steps = static_cast<int64_t>(timesteps.size());
  // Forward dynamics gives every action: nothing to step, as in the reference.
  const bool has_noisy_actions = inputs.cond.action.num_noisy_tokens > 0;
  ActionDenoiseResult result{std::move(start), 0, false};
  at::Tensor& latents = result.state.latents_BCTHW;
  at::Tensor& actions = result.state.actions_TD;
  const int64_t num_vision_values = latents.numel();
  if (callbacks.on_start) {
    callbacks.on_start(num_steps);
  }
  for (int64_t step = 0; step < num_steps; ++step) {
    if (callbacks.cancel_requested && callbacks.cancel_requested()) {
      result.cancelled = true;
      break;
    }
    const double timestep = timesteps[static_cast<size_t>(step)];
    const auto timestep_options = at::TensorOptions().dtype(vision_sampler.timestep_dtype());
    const StepTokens tokens{
        latents.to(transformer.dtype()),
        at::full({inputs.cond.base.vision.num_noisy_tokens}, timestep, timestep_options),
        actions.to(transformer.dtype()),
        at::full({inputs.cond.action.num_noisy_tokens}, timestep, timestep_options)};
    const std::vector<at::Tensor> velocities = guidance.predict_branches(
        inputs.uncond ? 2 : 1, [&](int64_t branch, model::ModelSeams& seams) {
          return branch_velocity(transformer, branch == 0 ? inputs.cond : *inputs.uncond, tokens,
                                 inputs, seams);
        });
    at::Tensor velocity = velocities[0];
    if (inputs.uncond) {
      velocity = velocities[1] + inputs.guidance_scale * (velocities[0] - velocities[1]);
    }
    const at::Tensor vision_velocity = velocity.narrow(0, 0, num_vision_values).view_as(latents);
    const at::Tensor action_velocity = velocity.narrow(0, num_vision_values, actions.numel())
                                           .view_as(actions)
                                           .to(actions.device());
    if (callbacks.on_prediction) {
      callbacks.on_prediction(step + 1, latents, vision_velocity, vision_sampler.sigma(step));
    }
    latents = vision_sampler.step(vision_velocity, timestep, latents);
    if (has_noisy_actions) {
      // The sampler adds the batch axis the reference gives every modality: [1, T, D].
      actions = action_sampler.step(action_velocity, timestep, actions);
      zero_columns_from(actions, inputs.raw_action_width);
    }
    result.num_steps_done = step + 1;
    if (callbacks.on_step_done) {
      callbacks.on_step_done(step + 1, num_steps);
    }
  }
  return result;
}

}  // namespace cosmos3::pipeline
