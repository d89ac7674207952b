#include "core/pipeline/text_to_vision.h"

#include "core/pipeline/conditioning.h"
#include "core/scheduler/scheduler_config.h"

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
                                      const at::Generator& generator, const at::Tensor& mask_T11,
                                      const std::optional<VisionConditioning>& conditioning) {
  const scheduler::SchedulerConfig config =
      scheduler::load_scheduler_config(folder.scheduler_config);
  if (folder.distilled_sigmas) {
    // Stochastic steps re-noise every frame; conditioned ones are put back after each step.
    return std::make_unique<DistilledEulerSampler>(
        scheduler::FlowMatchEulerScheduler(config), *folder.distilled_sigmas, generator,
        conditioning ? mask_T11 : at::Tensor(),
        conditioning ? conditioning->clean_latents_BCTHW : at::Tensor());
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
                                         GuidanceRunner& guidance,
                                         const DenoiseCallbacks& callbacks,
                                         const std::optional<VisionConditioning>& conditioning) {
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
  const std::vector<int64_t> condition_frames =
      conditioning ? conditioning->frame_indexes : std::vector<int64_t>{};
  BranchLayout cond = build_branch(generation.cond_input_ids, latent_shape, request.fps,
                                   condition_frames, config, folder.vae_temporal_factor);
  std::optional<BranchLayout> uncond;
  if (guided) {
    uncond = build_branch(generation.uncond_input_ids, latent_shape, request.fps, condition_frames,
                          config, folder.vae_temporal_factor);
  }
  if (resolved.num_sound_frames > 0) {
    add_sound_segment(cond, resolved.num_sound_frames, config);
    if (uncond) {
      add_sound_segment(*uncond, resolved.num_sound_frames, config);
    }
  }

  // Drawn on the CPU as the reference draws it, then moved; distilled sampling keeps drawing
  // from the same generator.
  at::Generator generator = seeded_generator(request.seed);
  at::Tensor latents = initial_noise(latent_shape, generator).to(device);
  const at::Tensor mask_T11 = condition_mask(latent_shape[2], condition_frames);
  if (conditioning) {
    latents = conditioned_initial_latents(mask_T11, conditioning->clean_latents_BCTHW, latents);
  }
  // The sound's noise comes after the vision's from the same generator; all of it is noisy.
  std::optional<SoundTrack> sound;
  if (resolved.num_sound_frames > 0) {
    sound = SoundTrack{
        initial_noise({config.sound_dim, resolved.num_sound_frames}, generator).to(device),
        make_sampler(folder, resolved, generator, mask_T11, std::nullopt)};
  }
  const std::unique_ptr<Sampler> sampler =
      make_sampler(folder, resolved, generator, mask_T11, conditioning);
  DenoiseResult result = denoise_vision(transformer, cond, uncond, *sampler, latents, mask_T11,
                                        resolved.guidance_scale, guidance, callbacks,
                                        sound ? &*sound : nullptr, request.precision);
  generation.latents_BCTHW = std::move(result.latents);
  generation.sound_latents_CT = std::move(result.sound_latents_CT);
  generation.num_steps_done = result.num_steps_done;
  generation.cancelled = result.cancelled;
  return generation;
}

VisionGeneration generate_vision_latents(const PipelineFolder& folder,
                                         const model::Transformer& transformer,
                                         const PromptTokenizer& tokenizer,
                                         const ResolvedRequest& resolved, c10::Device device,
                                         model::ModelSeams& seams,
                                         const DenoiseCallbacks& callbacks,
                                         const std::optional<VisionConditioning>& conditioning) {
  SequentialGuidance sequential(seams);
  return generate_vision_latents(folder, transformer, tokenizer, resolved, device, sequential,
                                 callbacks, conditioning);
}

}  // namespace cosmos3::pipeline
