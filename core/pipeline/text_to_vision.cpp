#include "core/pipeline/text_to_vision.h"

#include "core/scheduler/scheduler_config.h"

#include <ATen/ops/zeros.h>

#include <memory>

namespace cosmos3::pipeline {
namespace {

PromptOptions prompt_options(const ResolvedRequest& resolved) {
  PromptOptions options;
  options.num_frames = resolved.request.num_frames;
  options.height = resolved.request.height;
  options.width = resolved.request.width;
  options.fps = resolved.request.fps;
  options.use_system_prompt = resolved.use_system_prompt;
  return options;
}

std::unique_ptr<Sampler> make_sampler(const PipelineFolder& folder, const ResolvedRequest& resolved,
                                      const at::Generator& generator) {
  const scheduler::SchedulerConfig config =
      scheduler::load_scheduler_config(folder.scheduler_config);
  if (folder.distilled_sigmas) {
    return std::make_unique<DistilledEulerSampler>(scheduler::FlowMatchEulerScheduler(config),
                                                   *folder.distilled_sigmas, generator);
  }
  return std::make_unique<UniPCSampler>(scheduler::UniPCMultistepScheduler(config),
                                        resolved.num_steps, resolved.request.flow_shift,
                                        folder.use_native_flow_schedule);
}

}  // namespace

VisionGeneration generate_vision_latents(const PipelineFolder& folder,
                                         const model::Transformer& transformer,
                                         const PromptTokenizer& tokenizer,
                                         const ResolvedRequest& resolved, c10::Device device,
                                         model::ModelSeams& seams,
                                         const DenoiseCallbacks& callbacks) {
  const GenerationRequest& request = resolved.request;
  const PromptOptions options = prompt_options(resolved);
  VisionGeneration generation;
  generation.cond_input_ids = tokenizer.tokenize(conditional_conversation(request.prompt, options));
  const bool guided = resolved.guidance_scale != 1.0;
  if (guided) {
    generation.uncond_input_ids = tokenizer.tokenize(
        unconditional_conversation(request.negative_prompt.value_or(""), options));
  }

  const model::TransformerConfig& config = transformer.config();
  const std::vector<int64_t> latent_shape = latent_shape_of(request, config.latent_channel, folder);
  const BranchLayout cond = build_branch(generation.cond_input_ids, latent_shape, request.fps, {},
                                         config, folder.vae_temporal_factor);
  std::optional<BranchLayout> uncond;
  if (guided) {
    uncond = build_branch(generation.uncond_input_ids, latent_shape, request.fps, {}, config,
                          folder.vae_temporal_factor);
  }

  // Drawn on the CPU as the reference draws it, then moved; distilled sampling keeps drawing
  // from the same generator.
  at::Generator generator = seeded_generator(request.seed);
  const at::Tensor noise = initial_noise(latent_shape, generator).to(device);
  const std::unique_ptr<Sampler> sampler = make_sampler(folder, resolved, generator);
  const at::Tensor no_conditioning = at::zeros({latent_shape[2], 1, 1});
  DenoiseResult result = denoise_vision(transformer, cond, uncond, *sampler, noise, no_conditioning,
                                        resolved.guidance_scale, seams, callbacks);
  generation.latents_BCTHW = std::move(result.latents);
  generation.num_steps_done = result.num_steps_done;
  generation.cancelled = result.cancelled;
  return generation;
}

}  // namespace cosmos3::pipeline
