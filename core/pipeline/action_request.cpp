#include "core/pipeline/action_request.h"

#include "core/pipeline/action_caption.h"

#include <string>

namespace cosmos3::pipeline {

std::string_view action_mode_name(ActionMode mode) {
  switch (mode) {
    case ActionMode::kPolicy:
      return "policy";
    case ActionMode::kForwardDynamics:
      return "forward_dynamics";
    case ActionMode::kInverseDynamics:
      return "inverse_dynamics";
  }
  return "policy";
}

ActionMode parse_action_mode(std::string_view name) {
  for (const ActionMode mode :
       {ActionMode::kPolicy, ActionMode::kForwardDynamics, ActionMode::kInverseDynamics}) {
    if (name == action_mode_name(mode)) {
      return mode;
    }
  }
  throw RequestError("--action-mode must be policy, forward_dynamics or inverse_dynamics, got '" +
                     std::string(name) + "'");
}

void check_action_request(const ActionRequest& action) {
  const std::string mode(action_mode_name(action.mode));
  if (action.mode == ActionMode::kInverseDynamics && action.input != ActionInput::kVideo) {
    throw RequestError(
        "--action-mode inverse_dynamics infers the actions seen in a video: give the clip with "
        "--video-path, not an image");
  }
  if (action.mode == ActionMode::kForwardDynamics && !action.has_actions) {
    throw RequestError(
        "--action-mode forward_dynamics rolls out the video that given actions cause: pass them "
        "with --actions FILE ([T, D] or [1, T, D] JSON)");
  }
  if (action.mode != ActionMode::kForwardDynamics && action.has_actions) {
    throw RequestError("--actions drives forward_dynamics only; --action-mode " + mode +
                       " predicts the actions itself, so leave --actions out");
  }
  if (action.chunk_size < 1) {
    throw RequestError("--chunk-size must be at least 1 action step, got " +
                       std::to_string(action.chunk_size));
  }
  action_canvas(16, 16, action.resolution_tier);  // throws on an unknown tier
  check_action_view_point(action.view_point);
  runnable_domain(action.domain);
}

ActionPlan plan_action(const GenerationRequest& request, const ActionRequest& action,
                       const PipelineFolder& folder, const model::TransformerConfig& config,
                       int64_t source_height, int64_t source_width) {
  check_action_request(action);
  if (!config.action_gen) {
    throw RequestError(
        "this checkpoint's transformer was not trained for actions (action_gen is off): "
        "--action-mode needs an action checkpoint");
  }
  if (folder.distilled_sigmas) {
    throw RequestError(
        "this is a distilled checkpoint, which has no action mode: use a base action checkpoint");
  }
  const EmbodimentDomain& domain = runnable_domain(action.domain);
  const int64_t raw_width = *domain.raw_action_width;
  if (raw_width > config.action_dim) {
    throw RequestError("--domain " + domain.name + " has actions of width " +
                       std::to_string(raw_width) + ", more than this checkpoint's action_dim " +
                       std::to_string(config.action_dim));
  }
  if (domain.domain_id >= config.num_embodiment_domains) {
    throw RequestError("--domain " + domain.name + " (id " + std::to_string(domain.domain_id) +
                       ") is beyond this checkpoint's " +
                       std::to_string(config.num_embodiment_domains) + " embodiment domains");
  }
  const ActionCanvas canvas = action_canvas(source_height, source_width, action.resolution_tier);

  // The shared checks (prompt, fps, steps, guidance, shift) on a request of the canvas's size;
  // the frame count is set afterwards since chunk_size + 1 need not be 1 + 4k.
  GenerationRequest probe = request;
  probe.num_frames = 1;
  probe.height = static_cast<int>(canvas.height);
  probe.width = static_cast<int>(canvas.width);
  ResolvedRequest resolved = resolve_request(probe, folder);
  resolved.request.num_frames = static_cast<int>(action.chunk_size + 1);
  resolved.num_steps = request.num_steps.value_or(kActionDefaultSteps);
  resolved.guidance_scale = request.guidance_scale.value_or(kActionDefaultGuidance);
  resolved.request.flow_shift = request.flow_shift.value_or(kActionDefaultFlowShift);
  resolved.use_system_prompt = request.use_system_prompt.value_or(false);
  return ActionPlan{resolved, action, canvas, domain, raw_width};
}

}  // namespace cosmos3::pipeline
