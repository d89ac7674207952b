#include "core/pipeline/denoise_loop.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorOperators.h>
#include <ATen/core/Generator.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/full.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/sum.h>
#include <ATen/ops/to.h>
#include <ATen/ops/zeros_like.h>

namespace cosmos3::pipeline {
namespace {

model::TransformerInputs step_inputs(const BranchLayout& branch, const at::Tensor& vision_tokens,
                                     const at::Tensor& vision_timesteps) {
  model::ModalityInputs vision{{vision_tokens},
                               {branch.vision.token_shape},
                               branch.vision.sequence_indexes,
                               branch.vision.mse_loss_indexes,
                               vision_timesteps,
                               {branch.vision.noisy_frame_indexes},
                               {}};
  return model::TransformerInputs{
      branch.text.input_ids,  branch.text.text_indexes, branch.position_ids, branch.text.und_len,
      branch.sequence_length, std::move(vision),        std::nullopt,        std::nullopt};
}

// The branch's velocity with the conditioning frames zeroed, in fp32.
at::Tensor masked_velocity(const model::Transformer& transformer, const BranchLayout& branch,
                           const at::Tensor& vision_tokens, const at::Tensor& vision_timesteps,
                           const at::Tensor& condition_mask_T11, model::ModelSeams& seams) {
  const at::Tensor prediction =
      transformer.forward(step_inputs(branch, vision_tokens, vision_timesteps), seams).sample.at(0);
  const at::Tensor noisy_mask =
      (1.0 - condition_mask_T11).to(prediction.device(), prediction.scalar_type());
  const at::Tensor velocity =
      noisy_mask.sum().item<double>() > 0 ? prediction * noisy_mask : at::zeros_like(prediction);
  return velocity.to(at::kFloat);
}

}  // namespace

BranchLayout build_branch(const std::vector<int64_t>& input_ids,
                          const std::vector<int64_t>& latent_shape, double fps,
                          const std::vector<int64_t>& condition_frame_indexes,
                          const model::TransformerConfig& config,
                          int64_t vae_temporal_compression) {
  TextSegment text = prepare_text_segment(input_ids, config);
  VisionSegment vision = prepare_vision_segment(latent_shape, condition_frame_indexes,
                                                text.vision_start_temporal_offset, fps,
                                                text.und_len, config, vae_temporal_compression);
  at::Tensor position_ids = at::cat({text.positions_3N, vision.positions_3N}, 1);
  const int64_t sequence_length = text.und_len + vision.num_tokens;
  return BranchLayout{std::move(text), std::move(vision), std::move(position_ids), sequence_length};
}

at::Generator seeded_generator(uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

at::Tensor initial_noise(const std::vector<int64_t>& latent_shape, at::Generator& generator) {
  return at::randn(latent_shape, generator, at::TensorOptions().dtype(at::kFloat));
}

at::Tensor initial_noise(const std::vector<int64_t>& latent_shape, uint64_t seed) {
  at::Generator generator = seeded_generator(seed);
  return initial_noise(latent_shape, generator);
}

DenoiseResult denoise_vision(const model::Transformer& transformer, const BranchLayout& cond,
                             const std::optional<BranchLayout>& uncond, Sampler& sampler,
                             at::Tensor latents, const at::Tensor& condition_mask_T11,
                             double guidance_scale, model::ModelSeams& seams,
                             const DenoiseCallbacks& callbacks) {
  SequentialGuidance sequential(seams);
  return denoise_vision(transformer, cond, uncond, sampler, std::move(latents), condition_mask_T11,
                        guidance_scale, sequential, callbacks);
}

DenoiseResult denoise_vision(const model::Transformer& transformer, const BranchLayout& cond,
                             const std::optional<BranchLayout>& uncond, Sampler& sampler,
                             at::Tensor latents, const at::Tensor& condition_mask_T11,
                             double guidance_scale, GuidanceRunner& guidance,
                             const DenoiseCallbacks& callbacks) {
  const std::vector<double> timesteps = sampler.timesteps();
  const auto num_steps = static_cast<int64_t>(timesteps.size());
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
    // Latents stay where the caller put them (the model's device); the scheduler steps there.
    const at::Tensor vision_tokens = latents.to(transformer.dtype());
    const at::Tensor vision_timesteps =
        at::full({cond.vision.num_noisy_tokens}, timestep,
                 at::TensorOptions().dtype(sampler.timestep_dtype()));
    const std::vector<at::Tensor> velocities =
        guidance.predict_branches(uncond ? 2 : 1, [&](int64_t branch, model::ModelSeams& seams) {
          return masked_velocity(transformer, branch == 0 ? cond : *uncond, vision_tokens,
                                 vision_timesteps, condition_mask_T11, seams);
        });
    at::Tensor velocity = velocities[0];
    if (uncond) {
      velocity = velocities[1] + guidance_scale * (velocities[0] - velocities[1]);
    }
    if (callbacks.on_prediction) {
      callbacks.on_prediction(step + 1, latents, velocity, sampler.sigma(step));
    }
    latents = sampler.step(velocity, timestep, latents);
    result.num_steps_done = step + 1;
    if (callbacks.on_step_done) {
      callbacks.on_step_done(step + 1, num_steps);
    }
  }
  result.latents = latents;
  return result;
}

}  // namespace cosmos3::pipeline
