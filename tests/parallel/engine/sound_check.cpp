// The rank program's check of the pipeline's denoise loop with a soundtrack: 2 UniPC steps with
// CFG over vision and sound latents (sound tokens after the vision tokens, their own scheduler),
// the parallel layout against one rank.

#include "core/pipeline/denoise_loop.h"
#include "core/scheduler/scheduler_config.h"
#include "parallel/engine/cfg_parallel.h"
#include "tests/parallel/engine/check_support.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/zeros.h>

#include <memory>

namespace cosmos3::parallel::check {
namespace {

constexpr int64_t kNumSoundFrames = 7;  // splits unevenly over cp 2, 3 and 4

std::unique_ptr<pipeline::UniPCSampler> two_step_sampler() {
  return std::make_unique<pipeline::UniPCSampler>(
      scheduler::UniPCMultistepScheduler(
          scheduler::parse_scheduler_config(kUniPCConfig, "parallel check scheduler")),
      2, std::nullopt, false);
}

}  // namespace

int check_sound(const CheckContext& context) {
  const model::Transformer reference = load_reference(context);
  const model::Transformer parallel = load_parallel(context);
  const model::TransformerConfig& config = reference.config();
  const std::vector<int64_t> latent_shape{1, config.latent_channel, 3, 5, 7};
  pipeline::BranchLayout cond =
      pipeline::build_branch(prompt_ids(11, 1, config), latent_shape, 24.0, {}, config, 4);
  pipeline::BranchLayout uncond =
      pipeline::build_branch(prompt_ids(6, 2, config), latent_shape, 24.0, {}, config, 4);
  pipeline::add_sound_segment(cond, kNumSoundFrames, config);
  pipeline::add_sound_segment(uncond, kNumSoundFrames, config);
  const at::Tensor no_conditioning = at::zeros({latent_shape[2], 1, 1});
  auto run = [&](const model::Transformer& transformer, pipeline::GuidanceRunner& guidance) {
    // Every rank draws the same noise from the same seed: vision first, then sound.
    at::Generator generator = pipeline::seeded_generator(1234);
    const at::Tensor vision_noise = pipeline::initial_noise(latent_shape, generator);
    pipeline::SoundTrack sound{
        pipeline::initial_noise({config.sound_dim, kNumSoundFrames}, generator),
        two_step_sampler()};
    const std::unique_ptr<pipeline::UniPCSampler> sampler = two_step_sampler();
    const pipeline::DenoiseResult result =
        pipeline::denoise_vision(transformer, cond, uncond, *sampler, vision_noise, no_conditioning,
                                 3.0, guidance, {}, &sound);
    return at::cat({result.latents.flatten(), result.sound_latents_CT.flatten()});
  };
  model::ModelSeams single_rank;
  pipeline::SequentialGuidance sequential(single_rank);
  const at::Tensor expected = run(reference, sequential);
  ParallelGuidance guidance(context.mesh);
  const at::Tensor latents = run(parallel, guidance);
  const double error = relative_error(latents, expected);
  report(context, "2-step denoise loop with sound", error);
  return error <= context.options.tolerance() ? 0 : 1;
}

}  // namespace cosmos3::parallel::check
