#pragma once
// What a user asks one text-to-image/video generation for, and its validation against the
// reference's rules (and ours where the reference silently does something else), done before
// any weights are loaded so a bad request costs nothing.

#include "core/errors.h"
#include "core/model/precision.h"
#include "core/pipeline/pipeline_folder.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cosmos3::pipeline {

// A request that breaks a rule; the message states the rule and the value given.
class RequestError : public UserError {
 public:
  using UserError::UserError;
};

struct GenerationRequest {
  std::string prompt;
  std::optional<std::string> negative_prompt;  // none: the empty string, as the reference
  int num_frames = 189;                        // 1: text-to-image
  int height = 720;
  int width = 1280;
  double fps = 24.0;
  std::optional<int64_t> num_steps;      // none: 35, or the distilled schedule's length
  std::optional<double> guidance_scale;  // none: 6.0, or 1.0 for distilled checkpoints
  std::optional<double> flow_shift;      // none: the scheduler config's
  uint64_t seed = 0;
  std::optional<bool> use_system_prompt;  // none: the checkpoint's default
  bool enable_sound = false;              // a stereo soundtrack generated with the video
  // kFp8: the middle steps run FP8 GEMMs (step_precision.h); CUDA and a bf16 model only.
  model::Precision precision = model::Precision::kBf16;
};

// The request with every default filled in for `folder`'s checkpoint.
struct ResolvedRequest {
  GenerationRequest request;
  int64_t num_steps = 35;
  double guidance_scale = 6.0;
  bool use_system_prompt = true;
  bool distilled = false;
  // With enable_sound: the soundtrack's latent frames and the tokenizer's sample rate.
  int64_t num_sound_frames = 0;
  int64_t sound_sampling_rate = 0;
};

// Throws RequestError naming the first broken rule.
ResolvedRequest resolve_request(const GenerationRequest& request, const PipelineFolder& folder);

// Latent shape [1, C, T, H, W] of a resolved request.
std::vector<int64_t> latent_shape_of(const GenerationRequest& request, int64_t latent_channels,
                                     const PipelineFolder& folder);

}  // namespace cosmos3::pipeline
