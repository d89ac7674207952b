#pragma once
// The transfer flags of cosmos3-generate: --control HINT=FILE (repeatable, one video per hint:
// edge, blur, depth, seg, wsm), --control-guidance, --num-video-frames-per-chunk and
// --num-conditional-frames, and their checks across flags. `--control edge` or
// `--control blur` without a file makes that control from --control-source's video
// (--edge-thresholds, --blur-sigma). --video-path seeds the first chunk with the video's first
// --num-first-chunk-conditional-frames frames. --guidance-interval and
// --control-guidance-interval limit each guidance to a range of timesteps. A transfer job's output
// follows its control videos, so image conditioning, video-to-video's frame flags, actions and
// sound are refused with it.

#include "core/cli/command_line.h"
#include "core/pipeline/transfer_control_maps.h"
#include "core/pipeline/transfer_hint.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

namespace cosmos3::app {

struct GenerateOptions;

struct ControlVideoPath {
  pipeline::ControlHint hint;
  std::filesystem::path path;  // empty: made from the control source (edge and blur)

  bool made() const { return path.empty(); }
};

struct TransferFlags {
  std::vector<ControlVideoPath> controls;         // empty: not a transfer job
  std::optional<double> control_guidance;         // none: the hint's preset
  std::optional<int64_t> frames_per_chunk;        // none: the hint's preset clip length
  std::optional<int64_t> num_conditional_frames;  // none: 1
  // Frames of --video-path fixed at the start of the first chunk; none: 1 with a video.
  std::optional<int64_t> num_first_chunk_conditional_frames;
  // Inclusive [low, high] timesteps (0..1000) where each guidance acts, as the reference's
  // guidance_interval and control_guidance_interval; none: every step.
  std::optional<std::pair<double, double>> guidance_interval;
  std::optional<std::pair<double, double>> control_guidance_interval;
  // The video edge and blur controls are made from, and how.
  std::optional<std::filesystem::path> control_source;
  std::optional<pipeline::EdgeMapSettings> edge_map;
  std::optional<pipeline::BlurMapSettings> blur_map;
  // Which request flags were given; a transfer job takes the others from its preset and its
  // controls rather than from the text-to-video defaults.
  bool num_frames_given = false;
  bool fps_given = false;

  bool active() const { return !controls.empty(); }
};

void add_transfer_flags(cli::Command& command, GenerateOptions& options);

// Throws UsageError for transfer settings without --control, or --control with flags a
// transfer job cannot take.
void check_transfer_flags(const GenerateOptions& options);

}  // namespace cosmos3::app
