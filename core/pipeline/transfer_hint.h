#pragma once
// The kinds of control video transfer is steered by, in the order the reference sequences them
// (edge, blur, depth, segmentation, world-scenario map), and the documented generation settings
// for each kind as data.

#include <optional>
#include <string>
#include <vector>

namespace cosmos3::pipeline {

enum class ControlHint { kEdge, kBlur, kDepth, kSeg, kWsm };

// The reference's names: edge, blur, depth, seg, wsm.
std::string control_hint_name(ControlHint hint);

// Throws RequestError naming `name` and the accepted names when it is not one of them.
ControlHint parse_control_hint(const std::string& name);

// Every hint, in the canonical order in which their controls enter the sequence.
const std::vector<ControlHint>& control_hints_in_order();

// The documented recipe for a hint: what a run with this control should default to.
struct TransferPreset {
  double guidance_scale = 3.0;
  double control_guidance = 1.5;
  double flow_shift = 10.0;
  int num_frames = 121;
  double fps = 30.0;
};

const TransferPreset& transfer_preset(ControlHint hint);

// The preset a run with several hints starts from: the first hint's in canonical order. Throws
// RequestError when `hints` is empty.
const TransferPreset& transfer_preset_for(const std::vector<ControlHint>& hints);

}  // namespace cosmos3::pipeline
