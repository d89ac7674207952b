#include "core/pipeline/action_generation.h"

#include "core/pipeline/action_caption.h"
#include "core/pipeline/action_denoise_loop.h"
#include "core/pipeline/conditioning.h"
#include "core/scheduler/scheduler_config.h"

namespace cosmos3::pipeline {
namespace {

// The caption and the negative prompt go in as they are: the caption already carries the
// duration, fps and resolution the flat templates would add.
PromptOptions caption_options(const ResolvedRequest& resolved) {
  PromptOptions options;
  options.num_frames = resolved.request.num_frames;
  options.height = resolved.request.height;
  options.width = resolved.request.width;
  options.fps = resolved.request.fps;
  options.use_system_prompt = resolved.use_system_prompt;
  options.add_resolution_template = false;
  options.add_duration_template = false;
  return options;
}

UniPCSampler make_sampler(const PipelineFolder& folder, const ResolvedRequest& resolved) {
  return UniPCSampler(
      scheduler::UniPCMultistepScheduler(scheduler::load_scheduler_config(folder.scheduler_config)),
      resolved.num_steps, resolved.request.flow_shift, folder.use_native_flow_schedule);
}

}  // namespace

std::vector<int64_t> action_vision_condition_frames(ActionMode mode, int64_t num_latent_frames) {
  if (mode != ActionMode::kInverseDynamics) {
    return {0};
  }
  std::vector<int64_t> frames;
  for (int64_t frame = 0; frame < num_latent_frames; ++frame) {
    frames.push_back(frame);
  }
  return frames;
}

ActionGeneration generate_action(const PipelineFolder& folder,
                                 const model::Transformer& transformer,
                                 const PromptTokenizer& tokenizer, const ActionPlan& plan,
                                 const ActionJobInputs& inputs, c10::Device device,
                                 GuidanceRunner& guidance, const DenoiseCallbacks& callbacks) {
  const ResolvedRequest& resolved = plan.resolved;
  const GenerationRequest& request = resolved.request;
  const model::TransformerConfig& config = transformer.config();
  const PromptOptions options = caption_options(resolved);
  ActionGeneration generation;
  generation.caption = action_caption(request.prompt, plan.action.view_point, request.num_frames,
                                      request.fps, request.height, request.width);
  generation.cond_input_ids =
      tokenizer.tokenize(conditional_conversation(generation.caption, options));
  const bool guided = resolved.guidance_scale != 1.0;
  if (guided) {
    generation.uncond_input_ids =
        tokenizer.tokenize(conditional_conversation(request.negative_prompt.value_or(""), options));
  }

  const at::Tensor& clean_latents = inputs.clean_latents_BCTHW;
  const std::vector<int64_t> latent_shape(clean_latents.sizes().begin(),
                                          clean_latents.sizes().end());
  const std::vector<int64_t> vision_frames =
      action_vision_condition_frames(plan.action.mode, latent_shape[2]);
  const ActionTokens action_tokens = prepare_action_tokens(
      plan.action.mode, plan.action.chunk_size, config.action_dim, inputs.raw_actions_TD);
  const ActionBranchLayout cond =
      build_action_branch(generation.cond_input_ids, latent_shape, request.fps, vision_frames,
                          action_tokens, plan.domain.domain_id, config, folder.vae_temporal_factor);
  std::optional<ActionBranchLayout> uncond;
  if (guided) {
    uncond = build_action_branch(generation.uncond_input_ids, latent_shape, request.fps,
                                 vision_frames, action_tokens, plan.domain.domain_id, config,
                                 folder.vae_temporal_factor);
  }

  // One CPU generator draws the vision noise, then the action noise, as the reference does.
  at::Generator generator = seeded_generator(request.seed);
  const at::Tensor vision_noise = initial_noise(latent_shape, generator).to(device);
  const at::Tensor action_noise =
      initial_noise({plan.action.chunk_size, config.action_dim}, generator).to(device);
  const at::Tensor vision_mask = condition_mask(latent_shape[2], vision_frames);
  ActionDenoiseState start{
      conditioned_initial_latents(vision_mask, clean_latents, vision_noise),
      initial_action_latents(action_tokens, action_noise, plan.raw_action_width)};

  UniPCSampler vision_sampler = make_sampler(folder, resolved);
  UniPCSampler action_sampler = make_sampler(folder, resolved);
  const ActionLoopInputs loop{cond,
                              uncond,
                              vision_mask,
                              action_tokens.mask_T1,
                              plan.raw_action_width,
                              resolved.guidance_scale};
  ActionDenoiseResult result = denoise_with_actions(
      transformer, loop, vision_sampler, action_sampler, std::move(start), guidance, callbacks);
  generation.latents_BCTHW = std::move(result.state.latents_BCTHW);
  if (plan.action.mode != ActionMode::kForwardDynamics) {
    generation.actions_TD =
        result.state.actions_TD.narrow(1, 0, plan.raw_action_width).contiguous().cpu();
  }
  generation.num_steps_done = result.num_steps_done;
  generation.cancelled = result.cancelled;
  return generation;
}

}  // namespace cosmos3::pipeline
