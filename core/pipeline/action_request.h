#pragma once
// What a user asks of an action job (policy, forward dynamics or inverse dynamics) and its
// validation against the reference's rules, done from the configs and the input's size before
// any weight is read. The job's frame count and size come from the chunk and the resolution
// tier, not from --num-frames/--height/--width.

#include "core/model/transformer_config.h"
#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_domain.h"
#include "core/pipeline/generation_request.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::pipeline {

enum class ActionMode {
  kPolicy,           // first frame -> video and actions
  kForwardDynamics,  // first frame and actions -> video
  kInverseDynamics,  // video -> actions
};

// "policy", "forward_dynamics", "inverse_dynamics".
std::string_view action_mode_name(ActionMode mode);
// Throws RequestError naming the value and the choices.
ActionMode parse_action_mode(std::string_view name);

enum class ActionInput { kImage, kVideo };

struct ActionRequest {
  ActionMode mode = ActionMode::kPolicy;
  int64_t chunk_size = 16;  // action steps; the clip has chunk_size + 1 frames
  std::string domain;
  int64_t resolution_tier = 480;
  std::string view_point = "ego_view";
  ActionInput input = ActionInput::kImage;
  bool has_actions = false;  // an actions file was given
};

// The action recipe's settings where the user left them out.
inline constexpr int64_t kActionDefaultSteps = 30;
inline constexpr double kActionDefaultGuidance = 1.0;
inline constexpr double kActionDefaultFlowShift = 10.0;

struct ActionPlan {
  ResolvedRequest resolved;  // num_frames = chunk + 1, height x width = the canvas
  ActionRequest action;
  ActionCanvas canvas;
  EmbodimentDomain domain;
  int64_t raw_action_width = 0;
};

// Checks the mode/input combination, the domain, the tier and the view point against the
// checkpoint (`folder`, `config`) and the input's decoded size; fills the recipe's defaults.
// Throws RequestError naming the first broken rule.
ActionPlan plan_action(const GenerationRequest& request, const ActionRequest& action,
                       const PipelineFolder& folder, const model::TransformerConfig& config,
                       int64_t source_height, int64_t source_width);

// The checks that need neither the checkpoint nor the input: mode and input, chunk, tier, view
// point, domain. Throws RequestError.
void check_action_request(const ActionRequest& action);

}  // namespace cosmos3::pipeline
