#pragma once
// The action flags of cosmos3-generate (--action-mode, --domain, --chunk-size,
// --resolution-tier, --actions, --view-point) and their checks across flags. An action job's
// frame count and size come from --chunk-size and --resolution-tier, so --num-frames,
// --height and --width are refused with it, as the reference refuses them.

#include "core/cli/command_line.h"

namespace cosmos3::app {

struct GenerateOptions;

// Which action-related flags were given, for the checks after parsing.
struct GivenActionFlags {
  bool action_mode = false;
  bool any_action_setting = false;  // --domain, --chunk-size, --resolution-tier, --view-point
  bool actions = false;
  bool frames_or_size = false;   // --num-frames, --height or --width
  bool condition_video = false;  // --condition-frame-indexes or --condition-video-keep
};

void add_action_flags(cli::Command& command, GenerateOptions& options, GivenActionFlags& given);

// Throws UsageError for a combination that cannot be an action job (or one that names action
// settings without --action-mode); fills the action request's input kind and actions file.
void check_action_flags(GenerateOptions& options, const GivenActionFlags& given);

}  // namespace cosmos3::app
