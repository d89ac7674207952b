#pragma once
// The command line of cosmos3-generate: flags named as in the reference's example CLI where
// they overlap (--prompt, --negative-prompt, --num-frames, --height, --width, --fps,
// --guidance-scale, --seed), parsed strictly by the shared parser (core/cli/command_line.h): an
// unknown flag, a missing value or a value that is not a number stops the run before anything
// is loaded.

#include "core/cli/usage_error.h"
#include "core/pipeline/action_request.h"
#include "core/pipeline/generation_request.h"
#include "parallel/backend/transfer_options.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cosmos3::app {

// A command line that cannot be parsed; the message names the flag and what it accepts. Shared
// by every executable (core/cli), named here too so app code keeps its spelling.
using cli::kUsageExitCode;
using cli::UsageError;

struct GenerateOptions {
  std::filesystem::path model_dir;
  std::filesystem::path output_dir;
  std::optional<std::filesystem::path> output_latents;
  pipeline::GenerationRequest request;
  // Image-to-video: an image (or the first frame of a video) anchored at frame 0.
  std::optional<std::filesystem::path> vision_path;
  // Video-to-video continuation: the kept frames fix `condition_frame_indexes` latent frames.
  std::optional<std::filesystem::path> video_path;
  std::vector<int64_t> condition_frame_indexes{0, 1};
  bool keep_last_frames = false;
  // An action job (--action-mode): policy, forward or inverse dynamics from the image or video
  // above; `actions_path` holds forward dynamics' actions.
  std::optional<pipeline::ActionRequest> action;
  std::optional<std::filesystem::path> actions_path;
  // A transfer job (--control HINT=FILE): a video steered by control videos.
  TransferFlags transfer;
  bool seed_given = false;
  c10::Device device = c10::Device(c10::kCPU);
  c10::ScalarType dtype = c10::kFloat;
  // The parallel layout: cfg_parallel x tensor_parallel x context_parallel ranks, one GPU each
  // on CUDA (parallel/engine/parallel_layout.h).
  int cfg_parallel = 1;
  int tensor_parallel = 1;
  int context_parallel = 1;
  bool help = false;
};

std::string_view generate_usage();

// Throws UsageError.
GenerateOptions parse_generate_options(std::span<const std::string_view> arguments);

}  // namespace cosmos3::app
