#pragma once
// The checks a transfer job's control videos must pass before anything runs, and their
// preprocessing. The reference takes any size and length: it stretches maps of another aspect to
// the output and plays short maps backwards to fill the output. Both silently produce a video
// that no longer follows the controls, so a control of another aspect than the output, of
// another size than the other controls, or shorter than the output is refused here with the fix.
//
// Shape legend: frames_THW3 uint8 RGB; pixels_B3THW float32 in [-1, 1].

#include "core/pipeline/transfer_hint.h"
#include "core/pipeline/transfer_request.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <vector>

namespace cosmos3::pipeline {

// A control video ready for generation.
struct TransferControl {
  ControlHint hint;
  at::Tensor pixels_B3THW;  // at the request's size, any length >= 1
};

// A control video as decoded from its file.
struct ControlFrames {
  ControlHint hint;
  std::string source;  // the file, for messages
  at::Tensor frames_THW3;
};

// The output's length for these controls: the first control's (canonical order) frames, capped
// by `num_frames`.
int64_t transfer_output_frames(const std::vector<ControlFrames>& controls,
                               std::optional<int64_t> num_frames);

// Throws RequestError naming the control's hint and file, what is wrong and how to fix it.
void check_control_frames(const std::vector<ControlFrames>& controls,
                          const TransferRequest& request);

// Throws RequestError when a `height` x `width` input named `label` has another aspect ratio
// than the request's output, which the reference's resize would stretch.
void check_output_aspect(const std::string& label, int64_t height, int64_t width,
                         const TransferRequest& request);

// The checked controls resized to the output and scaled to [-1, 1], as the reference's video
// processor does.
std::vector<TransferControl> preprocess_controls(const std::vector<ControlFrames>& controls,
                                                 const TransferRequest& request);

}  // namespace cosmos3::pipeline
