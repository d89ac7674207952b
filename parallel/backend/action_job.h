#pragma once
// The checks of an action job that need the checkpoint's configs and the input, made before
// any weight is read (cosmos3-generate and the worker both call them): the mode, domain, tier
// and view point against the transformer config, the canvas from the input's size, and the
// actions file of forward dynamics. GenerationEngine::run_action (action_job.cpp) runs it.

#include "core/pipeline/action_request.h"
#include "core/pipeline/pipeline_folder.h"
#include "parallel/backend/generate_options.h"

#include <ATen/core/Tensor.h>

#include <optional>

namespace cosmos3::backend {

struct ActionJob {
  pipeline::ActionPlan plan;
  std::optional<at::Tensor> raw_actions_TD;  // forward dynamics
};

// Throws RequestError, ActionFileError or ConfigError naming the problem. `frames_THW3` is the
// job's decoded image or video.
ActionJob prepare_action_job(const app::GenerateOptions& job,
                             const pipeline::PipelineFolder& folder, const at::Tensor& frames_THW3);

// The image, or at most the first chunk_size + 1 frames of the video, of an action job.
at::Tensor read_action_frames(const app::GenerateOptions& job);

}  // namespace cosmos3::backend
