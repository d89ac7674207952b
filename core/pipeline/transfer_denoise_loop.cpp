#include "core/pipeline/transfer_denoise_loop.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/full.h>
#include <ATen/ops/to.h>

#include <algorithm>

namespace cosmos3::pipeline {
namespace {

bool active_at(const GuidanceInterval& interval, double timestep) {
  return !interval || (interval->first <= timestep && timestep <= interval->second);
}

double step_guidance(const TransferGuidance& guidance, double timestep) {
  return active_at(guidance.guidance_interval, timestep) ? guidance.guidance_scale : 1.0;
}

double step_control(const TransferGuidance& guidance, double timestep) {
  return active_at(guidance.control_guidance_interval, timestep) ? guidance.control_guidance : 1.0;
}

const at::Tensor& prediction_of(TransferPass pass, const std::vector<TransferPass>& passes,
                                const std::vector<at::Tensor>& predictions) {
  const auto found = std::find(passes.begin(), passes.end(), pass);
  TORCH_CHECK(found != passes.end(), "transfer pass missing from the step's predictions");
  return predictions.at(static_cast<std::size_t>(found - passes.begin()));
}

// The target's prediction of one pass, in fp32 (the controls' items predict nothing).
at::Tensor pass_prediction(const model::Transformer& transformer,
                           const TransferBranchLayout& branch, std::vector<at::Tensor> vision_items,
                           const at::Tensor& timesteps, model::ModelSeams& seams) {
  const model::TransformerOutputs outputs =
      transformer.forward(transfer_inputs(branch, std::move(vision_items), timesteps), seams);
  return outputs.sample.back().to(at::kFloat);
}

}  // namespace

std::vector<TransferPass> transfer_passes_at(const TransferGuidance& guidance, double timestep) {
  std::vector<TransferPass> passes{TransferPass::kCondFull};
  if (step_control(guidance, timestep) != 1.0) {
    passes.push_back(TransferPass::kCondNoControl);
  }
  if (step_guidance(guidance, timestep) > 1.0) {
    passes.push_back(TransferPass::kUncondFull);
  }
  return passes;
}

at::Tensor combine_transfer_passes(const TransferGuidance& guidance, double timestep,
                                   const std::vector<TransferPass>& passes,
                                   const std::vector<at::Tensor>& predictions) {
  const double text_scale = step_guidance(guidance, timestep);
  const double control_scale = step_control(guidance, timestep);
  at::Tensor velocity = prediction_of(TransferPass::kCondFull, passes, predictions);
  if (control_scale != 1.0) {
    const at::Tensor& no_control = prediction_of(TransferPass::kCondNoControl, passes, predictions);
    velocity = no_control + control_scale * (velocity - no_control);
  }
  if (text_scale > 1.0) {
    const at::Tensor& uncond = prediction_of(TransferPass::kUncondFull, passes, predictions);
    velocity = uncond + text_scale * (velocity - uncond);
  }
  return velocity;
}

DenoiseResult denoise_transfer_chunk(const model::Transformer& transformer,
                                     const TransferChunkInputs& inputs, Sampler& sampler,
                                     at::Tensor latents, GuidanceRunner& runner,
                                     const DenoiseCallbacks& callbacks) {
  const std::vector<double> timesteps = sampler.timesteps();
  const auto num_steps = static_cast<int64_t>(timesteps.size());
  const at::Tensor velocity_mask = inputs.velocity_mask_T11.to(latents.device());
  const at::Tensor condition_latents = inputs.condition_latents_BCTHW.to(latents.device());
  DenoiseResult result;
  if (callbacks.on_start) {
    callbacks.on_start(num_steps);
  }
  for (int64_t step = 0; step < num_steps; ++step) {
    if (callbacks.cancel_requested && callbacks.cancel_requested()) {
      result.cancelled = true;
      break;
    }
    const double timestep = timesteps[static_cast<size_t>(step)];
    const at::Tensor target = latents.to(transformer.dtype());
    const at::Tensor step_timesteps = at::full({inputs.cond_full.num_noisy_tokens}, timestep,
                                               at::TensorOptions().dtype(sampler.timestep_dtype()));
    const std::vector<TransferPass> passes = transfer_passes_at(inputs.guidance, timestep);
    const std::vector<at::Tensor> predictions = runner.predict_branches(
        static_cast<int64_t>(passes.size()), [&](int64_t index, model::ModelSeams& seams) {
          const TransferPass pass = passes[static_cast<size_t>(index)];
          if (pass == TransferPass::kCondNoControl) {
            return pass_prediction(transformer, *inputs.cond_no_control, {target}, step_timesteps,
                                   seams);
          }
          std::vector<at::Tensor> items = inputs.control_latents;
          items.push_back(target);
          return pass_prediction(
              transformer, pass == TransferPass::kCondFull ? inputs.cond_full : *inputs.uncond_full,
              std::move(items), step_timesteps, seams);
        });
    const at::Tensor velocity =
        combine_transfer_passes(inputs.guidance, timestep, passes, predictions) * velocity_mask;
    if (callbacks.on_prediction) {
      callbacks.on_prediction(step + 1, latents, velocity, sampler.sigma(step));
    }
    latents = sampler.step(velocity, timestep, latents);
    // The seeded frames are put back exactly, so multistep drift cannot move them.
    latents = velocity_mask * latents + (1.0 - velocity_mask) * condition_latents;
    result.num_steps_done = step + 1;
    if (callbacks.on_step_done) {
      callbacks.on_step_done(step + 1, num_steps);
    }
  }
  result.latents = latents;
  return result;
}

}  // namespace cosmos3::pipeline
