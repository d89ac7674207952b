#include "core/pipeline/denoise_loop.h"

#include "core/pipeline/step_precision.h"

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

// What changes per step: the noisy tokens of each generated modality and their timesteps.
struct StepTokens {
  at::Tensor vision;
  at::Tensor vision_timesteps;
  at::Tensor sound{};  // undefined without sound
  at::Tensor sound_timesteps{};
};

model::TransformerInputs step_inputs(const BranchLayout& branch, const StepTokens& tokens) {
  model::ModalityInputs vision{{tokens.vision},
                               {branch.vision.token_shape},
                               branch.vision.sequence_indexes,
                               branch.vision.mse_loss_indexes,
                               tokens.vision_timesteps,
                               {branch.vision.noisy_frame_indexes},
                               {}};
  std::optional<model::ModalityInputs> sound;
  if (branch.sound) {
    // Every sound frame is noisy: predictions are read back at every sound token.
    sound = model::ModalityInputs{{tokens.sound},
                                  {branch.sound->token_shape},
                                  branch.sound->sequence_indexes,
                                  branch.sound->sequence_indexes,
                                  tokens.sound_timesteps,
                                  {branch.sound->noisy_frame_indexes},
                                  {}};
  }
  return model::TransformerInputs{
      branch.text.input_ids,  branch.text.text_indexes, branch.position_ids, branch.text.und_len,
      branch.sequence_length, std::move(vision),        std::move(sound),    std::nullopt};
}

// The branch's velocity with the conditioning frames zeroed, in fp32. With sound, the sound
// velocity (no frame is conditioned) follows the vision's in one flat vector, so guidance
// runners trade one tensor per branch and combine both elementwise.
at::Tensor masked_velocity(const model::Transformer& transformer, const BranchLayout& branch,
                           const StepTokens& tokens, const at::Tensor& condition_mask_T11,
                           model::ModelSeams& seams, model::Precision precision) {
  const model::TransformerOutputs outputs =
      transformer.forward(step_inputs(branch, tokens), seams, precision);
  const at::Tensor& prediction = outputs.sample.at(0);
  const at::Tensor noisy_mask =
      (1.0 - condition_mask_T11).to(prediction.device(), prediction.scalar_type());
  const at::Tensor velocity =
      noisy_mask.sum().item<double>() > 0 ? prediction * noisy_mask : at::zeros_like(prediction);
  if (!branch.sound) {
    return velocity.to(at::kFloat);
  }
  return at::cat({velocity.to(at::kFloat).flatten(), outputs.sound.at(0).to(at::kFloat).flatten()});
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

void add_sound_segment(BranchLayout& branch, int64_t num_sound_frames,
                       const model::TransformerConfig& config) {
  SoundSegment sound =
      prepare_sound_segment(num_sound_frames, branch.text.vision_start_temporal_offset,
                            branch.text.und_len + branch.vision.num_tokens, config);
  branch.position_ids = at::cat({branch.position_ids, sound.positions_3N}, 1);
  branch.sequence_length += sound.num_tokens;
  branch.sound = std::move(sound);
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
                             const DenoiseCallbacks& callbacks, model::Precision precision) {
  SequentialGuidance sequential(seams);
  return denoise_vision(transformer, cond, uncond, sampler, std::move(latents), condition_mask_T11,
                        guidance_scale, sequential, callbacks, nullptr, precision);
}

DenoiseResult denoise_vision(const model::Transformer& transformer, const BranchLayout& cond,
                             const std::optional<BranchLayout>& uncond, Sampler& sampler,
                             at::Tensor latents, const at::Tensor& condition_mask_T11,
                             double guidance_scale, GuidanceRunner& guidance,
                             const DenoiseCallbacks& callbacks, SoundTrack* sound,
                             model::Precision precision) {
  // Refused before the first step, not at the first FP8 step after three bf16 ones.
  check_precision_supported(precision, latents.device(), transformer.dtype());
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
    const auto timestep_options = at::TensorOptions().dtype(sampler.timestep_dtype());
    StepTokens tokens{latents.to(transformer.dtype()),
                      at::full({cond.vision.num_noisy_tokens}, timestep, timestep_options)};
    if (sound) {
      tokens.sound = sound->latents_CT.to(transformer.dtype());
      tokens.sound_timesteps = at::full({cond.sound->num_tokens}, timestep, timestep_options);
    }
    const model::Precision this_step = step_precision(precision, step, num_steps);
    const std::vector<at::Tensor> velocities =
        guidance.predict_branches(uncond ? 2 : 1, [&](int64_t branch, model::ModelSeams& seams) {
          return masked_velocity(transformer, branch == 0 ? cond : *uncond, tokens,
                                 condition_mask_T11, seams, this_step);
        });
    at::Tensor velocity = velocities[0];
    if (uncond) {
      velocity = velocities[1] + guidance_scale * (velocities[0] - velocities[1]);
    }
    at::Tensor sound_velocity;
    if (sound) {
      const int64_t num_vision_values = latents.numel();
      sound_velocity = velocity.narrow(0, num_vision_values, sound->latents_CT.numel())
                           .view(sound->latents_CT.sizes());
      velocity = velocity.narrow(0, 0, num_vision_values).view(latents.sizes());
    }
    if (callbacks.on_prediction) {
      callbacks.on_prediction(step + 1, latents, velocity, sampler.sigma(step));
    }
    latents = sampler.step(velocity, timestep, latents);
    // After the vision's step, as the reference: stochastic samplers sharing one generator
    // draw the vision's noise first.
    if (sound) {
      sound->latents_CT = sound->sampler->step(sound_velocity, timestep, sound->latents_CT);
    }
    result.num_steps_done = step + 1;
    if (callbacks.on_step_done) {
      callbacks.on_step_done(step + 1, num_steps);
    }
  }
  result.latents = latents;
  if (sound) {
    result.sound_latents_CT = sound->latents_CT;
  }
  return result;
}

}  // namespace cosmos3::pipeline
