#include "parallel/backend/action_options.h"

#include "core/cli/typed_values.h"
#include "parallel/backend/generate_options.h"

namespace cosmos3::app {
namespace {

pipeline::ActionRequest& action_of(GenerateOptions& options) {
  if (!options.action) {
    options.action.emplace();
  }
  return *options.action;
}

}  // namespace

void add_action_flags(cli::Command& command, GenerateOptions& o, GivenActionFlags& given) {
  command
      .add_flag({.name = "--action-mode",
                 .value_name = "M",
                 .help = "policy|forward_dynamics|inverse_dynamics: an action job\n"
                         "(defaults: 30 steps, guidance 1, flow shift 10, no system prompt)",
                 .set =
                     [&o, &given](auto f, auto v) {
                       given.action_mode = true;
                       action_of(o).mode = cli::to_enum<pipeline::ActionMode>(
                           f, v,
                           {{"policy", pipeline::ActionMode::kPolicy},
                            {"forward_dynamics", pipeline::ActionMode::kForwardDynamics},
                            {"inverse_dynamics", pipeline::ActionMode::kInverseDynamics}});
                     }})
      .add_flag({.name = "--domain",
                 .value_name = "NAME",
                 .help = "embodiment of an action job, e.g. bridge_orig_lerobot, av",
                 .set =
                     [&o, &given](auto, auto v) {
                       action_of(o).domain = std::string(v);
                       given.any_action_setting = true;
                     }})
      .add_flag({.name = "--chunk-size",
                 .value_name = "N",
                 .help = "action steps of an action job; the clip has N + 1 frames (default 16)",
                 .set =
                     [&o, &given](auto f, auto v) {
                       action_of(o).chunk_size = cli::to_integer<int64_t>(f, v);
                       given.any_action_setting = true;
                     }})
      .add_flag({.name = "--resolution-tier",
                 .value_name = "N",
                 .help = "256|480|704|720: canvas size of an action job (default 480)",
                 .set =
                     [&o, &given](auto f, auto v) {
                       action_of(o).resolution_tier = cli::to_integer<int64_t>(f, v);
                       given.any_action_setting = true;
                     }})
      .add_flag({.name = "--actions",
                 .value_name = "FILE",
                 .help = "forward_dynamics: actions JSON, [T, D] or [1, T, D]",
                 .set =
                     [&o, &given](auto, auto v) {
                       o.actions_path = std::string(v);
                       given.actions = true;
                     }})
      .add_flag({.name = "--view-point",
                 .value_name = "V",
                 .help = "ego_view|third_person_view|wrist_view|concat_view (default ego_view)",
                 .set = [&o, &given](auto, auto v) {
                   action_of(o).view_point = std::string(v);
                   given.any_action_setting = true;
                 }});
}

void check_action_flags(GenerateOptions& options, const GivenActionFlags& given) {
  if (!given.action_mode) {
    if (given.any_action_setting || given.actions) {
      throw UsageError(
          "--domain, --chunk-size, --resolution-tier, --view-point and --actions belong to an "
          "action job: add --action-mode policy|forward_dynamics|inverse_dynamics");
    }
    options.action.reset();
    return;
  }
  if (given.frames_or_size) {
    throw UsageError(
        "an action job takes its frames from --chunk-size (N + 1 frames) and its size from "
        "--resolution-tier: leave --num-frames, --height and --width out");
  }
  if (given.condition_video) {
    throw UsageError(
        "--condition-frame-indexes and --condition-video-keep do not apply to an action job");
  }
  if (!options.vision_path && !options.video_path) {
    throw UsageError(
        "an action job starts from an image (--vision-path) or a video (--video-path): "
        "give one");
  }
  pipeline::ActionRequest& action = *options.action;
  action.input = options.video_path ? pipeline::ActionInput::kVideo : pipeline::ActionInput::kImage;
  action.has_actions = given.actions;
  if (action.domain.empty()) {
    throw UsageError("an action job needs --domain NAME, the robot or vehicle embodiment");
  }
}

}  // namespace cosmos3::app
