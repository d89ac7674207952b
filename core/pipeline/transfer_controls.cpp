#include "core/pipeline/transfer_controls.h"

#include "core/pipeline/conditioning.h"
#include "core/pipeline/generation_request.h"

#include <algorithm>
#include <cmath>

namespace cosmos3::pipeline {
namespace {

// Aspect ratios this close are the same picture rounded to whole pixels (or to the multiples
// of 16 the output needs); further apart, a resize visibly stretches the maps.
constexpr double kAspectTolerance = 0.02;

std::string size_text(int64_t height, int64_t width) {
  return std::to_string(width) + "x" + std::to_string(height);
}

std::string label(const ControlFrames& control) {
  return "control video " + control_hint_name(control.hint) + " (" + control.source + ")";
}

const ControlFrames& first_in_order(const std::vector<ControlFrames>& controls) {
  return *std::min_element(
      controls.begin(), controls.end(),
      [](const ControlFrames& a, const ControlFrames& b) { return a.hint < b.hint; });
}

}  // namespace

int64_t transfer_output_frames(const std::vector<ControlFrames>& controls,
                               std::optional<int64_t> num_frames) {
  const int64_t available = first_in_order(controls).frames_THW3.size(0);
  return std::max<int64_t>(1, num_frames ? std::min(available, *num_frames) : available);
}

void check_control_frames(const std::vector<ControlFrames>& controls,
                          const TransferRequest& request) {
  if (controls.empty()) {
    throw RequestError("transfer needs at least one control video (--control HINT=FILE)");
  }
  for (std::size_t index = 0; index < controls.size(); ++index) {
    for (std::size_t other = 0; other < index; ++other) {
      if (controls[other].hint == controls[index].hint) {
        throw RequestError("control hint '" + control_hint_name(controls[index].hint) +
                           "' is given twice (" + controls[other].source + ", " +
                           controls[index].source + "): give one video per hint");
      }
    }
  }
  const ControlFrames& first = first_in_order(controls);
  const int64_t first_height = first.frames_THW3.size(1);
  const int64_t first_width = first.frames_THW3.size(2);
  for (const ControlFrames& control : controls) {
    const at::Tensor& frames = control.frames_THW3;
    TORCH_CHECK(frames.dim() == 4 && frames.size(3) == 3, "control frames are [T, H, W, 3]");
    if (frames.size(0) == 0) {
      throw RequestError(label(control) + " has no frames: give a video with at least one frame");
    }
    const int64_t height = frames.size(1);
    const int64_t width = frames.size(2);
    if (height != first_height || width != first_width) {
      throw RequestError(label(control) + " is " + size_text(height, width) + " but " +
                         label(first) + " is " + size_text(first_height, first_width) +
                         ": the controls of one run must be maps of the same frames; give them "
                         "all at one size");
    }
    check_output_aspect(label(control), height, width, request);
  }
  const int64_t num_output_frames = request.num_frames.value_or(first.frames_THW3.size(0));
  for (const ControlFrames& control : controls) {
    const int64_t available = control.frames_THW3.size(0);
    if (available < num_output_frames) {
      throw RequestError(
          label(control) + " has " + std::to_string(available) + " frames, fewer than the " +
          std::to_string(num_output_frames) + " the output needs" +
          (request.num_frames ? " (--num-frames)"
                              : " (the " + control_hint_name(first.hint) + " control's length)") +
          ": give a longer control video or ask for at most " + std::to_string(available) +
          " frames with --num-frames");
    }
  }
}

void check_output_aspect(const std::string& label, int64_t height, int64_t width,
                         const TransferRequest& request) {
  const double output_aspect =
      static_cast<double>(request.width) / static_cast<double>(request.height);
  const double aspect = static_cast<double>(width) / static_cast<double>(height);
  if (std::abs(aspect / output_aspect - 1.0) > kAspectTolerance) {
    throw RequestError(label + " is " + size_text(height, width) +
                       ", of another aspect ratio than the " +
                       size_text(request.height, request.width) +
                       " output, so it would be stretched: set --height and --width to "
                       "its aspect (multiples of 16) or give inputs of the output's");
  }
}

std::vector<TransferControl> preprocess_controls(const std::vector<ControlFrames>& controls,
                                                 const TransferRequest& request) {
  std::vector<TransferControl> preprocessed;
  for (const ControlFrames& control : controls) {
    preprocessed.push_back({control.hint, preprocess_conditioning_video(
                                              control.frames_THW3, request.height, request.width)});
  }
  return preprocessed;
}

}  // namespace cosmos3::pipeline
