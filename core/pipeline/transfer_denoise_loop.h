#pragma once
// The denoise loop of one transfer chunk. Each step runs up to three passes over the same noisy
// target: with the controls and the prompt (always), without the controls (when the control
// guidance is not 1, to amplify what the controls add) and with the controls and the negative
// prompt (when the guidance scale is above 1). Either guidance is switched off (scale 1) at
// steps whose timestep lies outside its interval. The passes combine as the reference nests
// them: v = U + g * ((NC + c * (F - NC)) - U), with the terms of absent passes dropped.
//
// Shape legend: latents_BCTHW [1, C, T, H, W]; mask_T11 [T, 1, 1] float32.

#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/guidance_runner.h"
#include "core/pipeline/sampler.h"
#include "core/pipeline/transfer_layout.h"

#include <optional>
#include <utility>
#include <vector>

namespace cosmos3::pipeline {

enum class TransferPass { kCondFull, kCondNoControl, kUncondFull };

// Inclusive [low, high] on the timestep (0..1000); none: every step.
using GuidanceInterval = std::optional<std::pair<double, double>>;

struct TransferGuidance {
  double guidance_scale = 1.0;
  double control_guidance = 1.0;
  GuidanceInterval guidance_interval;
  GuidanceInterval control_guidance_interval;
};

// The passes a step at `timestep` runs, in the order above.
std::vector<TransferPass> transfer_passes_at(const TransferGuidance& guidance, double timestep);

// The guided velocity from the passes' predictions (given in the order of `passes`).
at::Tensor combine_transfer_passes(const TransferGuidance& guidance, double timestep,
                                   const std::vector<TransferPass>& passes,
                                   const std::vector<at::Tensor>& predictions);

struct TransferChunkInputs {
  const TransferBranchLayout& cond_full;
  // Built when some step may need them (control guidance != 1, guidance scale > 1).
  const std::optional<TransferBranchLayout>& cond_no_control;
  const std::optional<TransferBranchLayout>& uncond_full;
  std::vector<at::Tensor> control_latents;  // in the transformer's dtype, on its device
  at::Tensor velocity_mask_T11;             // 0 on the seeded (conditioned) target frames
  at::Tensor condition_latents_BCTHW;       // clean target latents on those frames, else 0
  TransferGuidance guidance;
};

// Runs every step of `sampler` from `latents` (on the model's device) and returns the final
// latents; `cancelled` is set when the callbacks asked to stop.
DenoiseResult denoise_transfer_chunk(const model::Transformer& transformer,
                                     const TransferChunkInputs& inputs, Sampler& sampler,
                                     at::Tensor latents, GuidanceRunner& runner,
                                     const DenoiseCallbacks& callbacks = {});

}  // namespace cosmos3::pipeline
