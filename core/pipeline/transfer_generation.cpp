#include "core/pipeline/transfer_generation.h"

#include "core/pipeline/conditioning.h"
#include "core/pipeline/generation_request.h"
#include "core/pipeline/transfer_prompt.h"
#include "core/scheduler/scheduler_config.h"

#include <ATen/TensorOperators.h>

#include <algorithm>

namespace cosmos3::pipeline {
namespace {

std::vector<int64_t> shape_of(const at::Tensor& tensor) {
  return {tensor.sizes().begin(), tensor.sizes().end()};
}

std::vector<int64_t> first_frames(int64_t count) {
  std::vector<int64_t> frames;
  for (int64_t frame = 0; frame < count; ++frame) {
    frames.push_back(frame);
  }
  return frames;
}

// The frames that seed chunk `chunk`'s target: the input video's head for the first chunk, the
// previous chunk's decoded tail after it; undefined when nothing seeds it.
at::Tensor seed_frames(const TransferRequest& request, const TransferInputs& inputs, int64_t chunk,
                       const at::Tensor& previous_output_B3THW, int64_t chunk_frames) {
  if (chunk == 0) {
    if (request.num_first_chunk_conditional_frames <= 0 || !inputs.input_video_B3THW.defined()) {
      return {};
    }
    const int64_t count = std::min({request.num_first_chunk_conditional_frames,
                                    inputs.input_video_B3THW.size(2), chunk_frames});
    return inputs.input_video_B3THW.narrow(2, 0, count);
  }
  const int64_t count =
      std::min({request.num_conditional_frames, previous_output_B3THW.size(2), chunk_frames});
  if (count <= 0) {
    return {};
  }
  return previous_output_B3THW.narrow(2, previous_output_B3THW.size(2) - count, count);
}

struct ChunkLayouts {
  TransferBranchLayout cond_full;
  std::optional<TransferBranchLayout> cond_no_control;
  std::optional<TransferBranchLayout> uncond_full;
};

ChunkLayouts chunk_layouts(const TransferGeneration& generation, const TransferRequest& request,
                           const std::vector<at::Tensor>& control_latents,
                           const std::vector<int64_t>& target_shape,
                           const std::vector<int64_t>& condition_frames,
                           const model::TransformerConfig& config, int64_t temporal_factor) {
  std::vector<std::vector<int64_t>> control_shapes;
  for (const at::Tensor& latents : control_latents) {
    control_shapes.push_back(shape_of(latents));
  }
  const auto build = [&](const std::vector<int64_t>& ids,
                         const std::vector<std::vector<int64_t>>& shapes) {
    return build_transfer_branch(ids, shapes, target_shape, condition_frames, request.fps, config,
                                 temporal_factor);
  };
  ChunkLayouts layouts{build(generation.cond_input_ids, control_shapes), std::nullopt,
                       std::nullopt};
  if (request.guidance.control_guidance != 1.0) {
    layouts.cond_no_control = build(generation.cond_input_ids, {});
  }
  if (request.guidance.guidance_scale > 1.0) {
    layouts.uncond_full = build(generation.uncond_input_ids, control_shapes);
  }
  return layouts;
}

// Per-chunk callbacks that report steps (and predictions) counted over the whole run.
DenoiseCallbacks chunk_callbacks(const DenoiseCallbacks& callbacks, int64_t chunk,
                                 int64_t num_steps, int64_t num_total_steps) {
  DenoiseCallbacks adapted = callbacks;
  adapted.on_start = nullptr;
  if (callbacks.on_step_done) {
    adapted.on_step_done = [&callbacks, chunk, num_steps, num_total_steps](int64_t step, int64_t) {
      callbacks.on_step_done(chunk * num_steps + step, num_total_steps);
    };
  }
  if (callbacks.on_prediction) {
    adapted.on_prediction = [&callbacks, chunk, num_steps](int64_t step, const at::Tensor& latents,
                                                           const at::Tensor& velocity,
                                                           double sigma) {
      callbacks.on_prediction(chunk * num_steps + step, latents, velocity, sigma);
    };
  }
  return adapted;
}

}  // namespace

std::vector<TransferControl> controls_in_order(std::vector<TransferControl> controls) {
  if (controls.empty()) {
    throw RequestError("transfer needs at least one control video (--control HINT=FILE)");
  }
  std::stable_sort(
      controls.begin(), controls.end(),
      [](const TransferControl& a, const TransferControl& b) { return a.hint < b.hint; });
  for (std::size_t index = 1; index < controls.size(); ++index) {
    if (controls[index].hint == controls[index - 1].hint) {
      throw RequestError("control hint '" + control_hint_name(controls[index].hint) +
                         "' is given twice: give one video per hint");
    }
  }
  return controls;
}

TransferGeneration generate_transfer(const PipelineFolder& folder,
                                     const model::Transformer& transformer,
                                     const PromptTokenizer& tokenizer,
                                     const TransferRequest& request, const TransferInputs& inputs,
                                     const VaeCodec& vae, c10::Device device,
                                     GuidanceRunner& guidance, const DenoiseCallbacks& callbacks) {
  check_transfer_request(request, folder);
  const std::vector<TransferControl> controls = controls_in_order(inputs.controls);
  const model::TransformerConfig& config = transformer.config();
  const int64_t temporal_factor = folder.vae_temporal_factor;

  TransferGeneration generation;
  generation.cond_input_ids =
      tokenizer.tokenize(transfer_conversation(request.prompt, request.use_system_prompt));
  generation.uncond_input_ids = tokenizer.tokenize(
      transfer_conversation(request.negative_prompt.value_or(""), request.use_system_prompt));
  generation.plan = plan_transfer_chunks(controls.front().pixels_B3THW.size(2), request.num_frames,
                                         request.frames_per_chunk, request.num_conditional_frames,
                                         temporal_factor);
  const TransferChunkPlan& plan = generation.plan;
  std::vector<at::Tensor> padded_controls;
  for (const TransferControl& control : controls) {
    padded_controls.push_back(
        pad_frames_in_time(control.pixels_B3THW, std::max(plan.total_frames, plan.chunk_frames)));
  }

  const int64_t num_total_steps = plan.num_chunks * request.num_steps;
  if (callbacks.on_start) {
    callbacks.on_start(num_total_steps);
  }
  // One generator for the whole run: each chunk's noise continues its stream.
  at::Generator generator = seeded_generator(request.seed);
  const scheduler::SchedulerConfig scheduler_config =
      scheduler::load_scheduler_config(folder.scheduler_config);
  std::vector<at::Tensor> decoded_chunks;
  std::vector<int64_t> num_seed_frames;
  at::Tensor previous_output;
  for (int64_t chunk = 0; chunk < plan.num_chunks; ++chunk) {
    std::vector<at::Tensor> control_latents;
    for (const at::Tensor& padded : padded_controls) {
      control_latents.push_back(
          vae.encode(chunk_control_pixels(padded, plan, chunk)).to(device, transformer.dtype()));
    }
    const at::Tensor seed = seed_frames(request, inputs, chunk, previous_output, plan.chunk_frames);
    const int64_t num_seeds = seed.defined() ? seed.size(2) : 0;
    const at::Tensor clean_target =
        vae.encode(seeded_target_pixels(seed, plan.chunk_frames, request.height, request.width))
            .to(device, at::kFloat);
    const std::vector<int64_t> target_shape = shape_of(clean_target);
    const std::vector<int64_t> condition_frames =
        first_frames(num_seeds > 0 ? (num_seeds - 1) / temporal_factor + 1 : 0);
    const at::Tensor mask_T11 = condition_mask(target_shape[2], condition_frames).to(device);
    const at::Tensor noise = initial_noise(target_shape, generator).to(device);

    const ChunkLayouts layouts = chunk_layouts(generation, request, control_latents, target_shape,
                                               condition_frames, config, temporal_factor);
    const TransferChunkInputs chunk_inputs{
        layouts.cond_full, layouts.cond_no_control, layouts.uncond_full, std::move(control_latents),
        1.0 - mask_T11,    mask_T11 * clean_target, request.guidance};
    UniPCSampler sampler(scheduler::UniPCMultistepScheduler(scheduler_config), request.num_steps,
                         request.flow_shift, /*native_flow_schedule=*/false);
    DenoiseResult result = denoise_transfer_chunk(
        transformer, chunk_inputs, sampler,
        conditioned_initial_latents(mask_T11, clean_target, noise), guidance,
        chunk_callbacks(callbacks, chunk, request.num_steps, num_total_steps));
    generation.last_latents_BCTHW = result.latents;
    generation.num_steps_done += result.num_steps_done;
    if (result.cancelled) {
      generation.cancelled = true;
      break;
    }
    previous_output = vae.decode(result.latents).to(at::kCPU, at::kFloat);
    decoded_chunks.push_back(previous_output);
    num_seed_frames.push_back(num_seeds);
    generation.num_chunks_done = chunk + 1;
  }
  if (!generation.cancelled) {
    generation.video_B3THW = stitch_chunks(decoded_chunks, num_seed_frames, plan.total_frames);
  }
  return generation;
}

}  // namespace cosmos3::pipeline
