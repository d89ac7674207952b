#pragma once
// One action job up to its final latents and predicted actions: the JSON caption and token ids
// of both CFG branches, the seeded vision then action noise, the mode's clean frames and
// tokens, and the joint denoise loop. Headless and rank-agnostic like text_to_vision.h: the VAE
// encode of the canvas (action_canvas.h) and the decode are the caller's.
//
// Shape legend: latents_BCTHW [1, C, T, h, w] cropped to the content; actions_TD.

#include "core/model/transformer.h"
#include "core/pipeline/action_request.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/guidance_runner.h"
#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/prompt_tokens.h"

#include <optional>
#include <vector>

namespace cosmos3::pipeline {

struct ActionJobInputs {
  // The VAE's normalised encode of the canvas, cropped with crop_latents_to_content.
  at::Tensor clean_latents_BCTHW;
  // Forward dynamics: the checked actions [T, raw width] of the actions file.
  std::optional<at::Tensor> raw_actions_TD;
};

struct ActionGeneration {
  at::Tensor latents_BCTHW;  // float32, on the transformer's device
  at::Tensor actions_TD;     // [chunk, raw width] on the CPU; undefined for forward dynamics
  int64_t num_steps_done = 0;
  bool cancelled = false;
  std::string caption;  // the conditional branch's text
  std::vector<int64_t> cond_input_ids;
  std::vector<int64_t> uncond_input_ids;  // empty when guidance is off
};

ActionGeneration generate_action(const PipelineFolder& folder,
                                 const model::Transformer& transformer,
                                 const PromptTokenizer& tokenizer, const ActionPlan& plan,
                                 const ActionJobInputs& inputs, c10::Device device,
                                 GuidanceRunner& guidance, const DenoiseCallbacks& callbacks = {});

// The latent frames the clip fixes: the first for policy and forward dynamics, all of them for
// inverse dynamics.
std::vector<int64_t> action_vision_condition_frames(ActionMode mode, int64_t num_latent_frames);

}  // namespace cosmos3::pipeline
