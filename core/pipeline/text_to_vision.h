#pragma once
// One text-to-image or text-to-video generation up to the final latents: prompt templates and
// token ids for both CFG branches, their sequence layouts, seeded noise, the checkpoint's
// sampler, and the denoise loop. Headless and rank-agnostic: the CLI, the studio's worker and
// the parallel engine all call this, the latter through `seams`.
//
// Shape legend: latents_BCTHW [1, C, T, H, W].

#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/generation_request.h"
#include "core/pipeline/guidance_runner.h"
#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/prompt_tokens.h"

#include <vector>

namespace cosmos3::pipeline {

// Image-to-video and video-to-video: clean latents of the conditioning clip (the VAE's
// normalised encode of conditioning.h's pixels) and the latent frames they fix.
struct VisionConditioning {
  at::Tensor clean_latents_BCTHW;
  std::vector<int64_t> frame_indexes;
};

struct VisionGeneration {
  at::Tensor latents_BCTHW;     // float32, on the transformer's device
  at::Tensor sound_latents_CT;  // float32, on the transformer's device; with enable_sound only
  int64_t num_steps_done = 0;
  bool cancelled = false;
  std::vector<int64_t> cond_input_ids;
  std::vector<int64_t> uncond_input_ids;  // empty when guidance is off
};

// Runs `request` (already resolved against `folder`) on `transformer`, whose weights live on
// `device`; text-to-image/video when `conditioning` is empty. With the request's enable_sound
// a soundtrack's latents are generated with the video (the reference's enable_sound modes).
// `guidance` decides where the CFG branches run (this rank in turn, or rank groups of a parallel
// layout). A request for FP8 is refused (RequestError) on the CPU or with an fp32 model before
// the first step; otherwise the transformer must have been through prepare_fp8().
VisionGeneration generate_vision_latents(
    const PipelineFolder& folder, const model::Transformer& transformer,
    const PromptTokenizer& tokenizer, const ResolvedRequest& request, c10::Device device,
    GuidanceRunner& guidance, const DenoiseCallbacks& callbacks = {},
    const std::optional<VisionConditioning>& conditioning = {});

// The same on this rank alone, every branch through `seams`.
VisionGeneration generate_vision_latents(
    const PipelineFolder& folder, const model::Transformer& transformer,
    const PromptTokenizer& tokenizer, const ResolvedRequest& request, c10::Device device,
    model::ModelSeams& seams, const DenoiseCallbacks& callbacks = {},
    const std::optional<VisionConditioning>& conditioning = {});

}  // namespace cosmos3::pipeline
