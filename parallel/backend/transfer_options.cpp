#include "parallel/backend/transfer_options.h"

#include "core/cli/typed_values.h"
#include "core/pipeline/generation_request.h"
#include "parallel/backend/generate_options.h"

namespace cosmos3::app {
namespace {

ControlVideoPath parse_control(std::string_view flag, std::string_view text) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    // A hint alone: made from --control-source.
    try {
      return {pipeline::parse_control_hint(std::string(text)), {}};
    } catch (const pipeline::RequestError& error) {
      throw UsageError(std::string(flag) + ": " + error.what());
    }
  }
  if (equals == 0 || equals + 1 == text.size()) {
    throw UsageError(std::string(flag) + " takes HINT=FILE (e.g. edge=edges.mp4) or HINT, got '" +
                     std::string(text) + "'");
  }
  try {
    return {pipeline::parse_control_hint(std::string(text.substr(0, equals))),
            std::filesystem::path(std::string(text.substr(equals + 1)))};
  } catch (const pipeline::RequestError& error) {
    throw UsageError(std::string(flag) + ": " + error.what());
  }
}

std::pair<double, double> parse_pair(std::string_view flag, std::string_view text,
                                     std::string_view example) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos) {
    throw UsageError(std::string(flag) + " takes LOW,HIGH (e.g. " + std::string(example) +
                     "), got '" + std::string(text) + "'");
  }
  return {cli::to_number(flag, text.substr(0, comma)),
          cli::to_number(flag, text.substr(comma + 1))};
}

pipeline::EdgeMapSettings parse_thresholds(std::string_view flag, std::string_view text) {
  const auto [low, high] = parse_pair(flag, text, "100,200");
  return {low, high};
}

// Timesteps run from 1000 (pure noise) down to 0; an interval outside them, or upside down,
// would silently switch its guidance off for the whole run.
std::pair<double, double> parse_interval(std::string_view flag, std::string_view text) {
  const std::pair<double, double> interval = parse_pair(flag, text, "0,800");
  const auto [low, high] = interval;
  if (!(0 <= low && low <= high && high <= 1000)) {
    throw UsageError(std::string(flag) + " " + std::string(text) +
                     " must be LOW,HIGH timesteps with 0 <= LOW <= HIGH <= 1000 (1000 is pure "
                     "noise; the guidance acts on the steps whose timestep lies within them)");
  }
  return interval;
}

bool makes(const TransferFlags& t, pipeline::ControlHint hint) {
  for (const ControlVideoPath& control : t.controls) {
    if (control.hint == hint && control.made()) return true;
  }
  return false;
}

// Controls made from --control-source: only edge and blur can be, and only with a source.
void check_made_controls(const TransferFlags& t) {
  bool any_made = false;
  for (const ControlVideoPath& control : t.controls) {
    if (!control.made()) continue;
    any_made = true;
    if (control.hint != pipeline::ControlHint::kEdge &&
        control.hint != pipeline::ControlHint::kBlur) {
      throw UsageError("--control " + pipeline::control_hint_name(control.hint) +
                       " needs a file (" + pipeline::control_hint_name(control.hint) +
                       "=FILE): only edge and blur controls can be made from --control-source");
    }
    if (!t.control_source) {
      throw UsageError("--control " + pipeline::control_hint_name(control.hint) +
                       " without a file is made from a video: add --control-source FILE");
    }
  }
  if (t.control_source && !any_made) {
    throw UsageError(
        "--control-source is only read for controls made from it: add --control edge "
        "or --control blur");
  }
  if (t.edge_map && !makes(t, pipeline::ControlHint::kEdge)) {
    throw UsageError("--edge-thresholds apply to an edge control made here: add --control edge");
  }
  if (t.blur_map && !makes(t, pipeline::ControlHint::kBlur)) {
    throw UsageError("--blur-sigma applies to a blur control made here: add --control blur");
  }
}

// The input video seeding the first chunk, and how many of its frames: the reference ignores a
// video given with 0 frames (its default), which would silently drop the user's input.
void check_seed_video(const GenerateOptions& o) {
  const std::optional<int64_t>& count = o.transfer.num_first_chunk_conditional_frames;
  if (!o.video_path) {
    if (count) {
      throw UsageError(
          "--num-first-chunk-conditional-frames counts frames of the input video: add "
          "--video-path FILE");
    }
    return;
  }
  if (count && *count < 1) {
    throw UsageError("--num-first-chunk-conditional-frames " + std::to_string(*count) +
                     " would leave --video-path unused: give at least 1, or leave --video-path "
                     "out");
  }
}

std::optional<std::string> conflicting_flag(const GenerateOptions& o) {
  if (o.action) return "--action-mode";
  if (o.vision_path) return "--vision-path";
  if (o.request.enable_sound) return "--sound";
  return std::nullopt;
}

}  // namespace

void add_transfer_flags(cli::Command& command, GenerateOptions& o) {
  TransferFlags& t = o.transfer;
  command
      .add_flag({.name = "--control",
                 .value_name = "HINT=FILE",
                 .help = "transfer: a control video steering the output; HINT is edge, blur,\n"
                         "depth, seg or wsm; repeat for several hints (defaults per hint:\n"
                         "guidance 3, control guidance 1.5 (seg 2; wsm 1 and 3), flow shift 10,\n"
                         "121-frame chunks at 30 fps (wsm 101 at 10 fps))",
                 .set = [&t](auto f, auto v) { t.controls.push_back(parse_control(f, v)); },
                 .repeatable = true})
      .add_flag({.name = "--control-source",
                 .value_name = "FILE",
                 .help = "transfer: the video `--control edge` and `--control blur` (no file)\n"
                         "make their controls from",
                 .set = [&t](auto, auto v) { t.control_source = std::string(v); }})
      .add_flag({.name = "--edge-thresholds",
                 .value_name = "LOW,HIGH",
                 .help = "transfer: Canny thresholds of a made edge control (default 100,200)",
                 .set = [&t](auto f, auto v) { t.edge_map = parse_thresholds(f, v); }})
      .add_flag(
          {.name = "--blur-sigma",
           .value_name = "S",
           .help = "transfer: Gaussian sigma in pixels of a made blur control (default 5)",
           .set = [&t](auto f,
                       auto v) { t.blur_map = pipeline::BlurMapSettings{cli::to_number(f, v)}; }})
      .add_flag({.name = "--control-guidance",
                 .value_name = "C",
                 .help = "transfer: >= 0, how strongly the controls steer; 1 turns it off",
                 .set = [&t](auto f, auto v) { t.control_guidance = cli::to_number(f, v); }})
      .add_flag(
          {.name = "--num-video-frames-per-chunk",
           .value_name = "N",
           .help = "transfer: frames generated per chunk of a long output",
           .set = [&t](auto f, auto v) { t.frames_per_chunk = cli::to_integer<int64_t>(f, v); }})
      .add_flag(
          {.name = "--num-conditional-frames",
           .value_name = "N",
           .help = "transfer: frames each chunk repeats from the previous one (default 1)",
           .set = [&t](auto f,
                       auto v) { t.num_conditional_frames = cli::to_integer<int64_t>(f, v); }})
      .add_flag({.name = "--num-first-chunk-conditional-frames",
                 .value_name = "N",
                 .help = "transfer: frames of --video-path the first chunk starts from\n"
                         "(default 1 with --video-path)",
                 .set =
                     [&t](auto f, auto v) {
                       t.num_first_chunk_conditional_frames = cli::to_integer<int64_t>(f, v);
                     }})
      .add_flag({.name = "--guidance-interval",
                 .value_name = "LOW,HIGH",
                 .help = "transfer: timesteps (0..1000, 1000 = noise) where --guidance-scale\n"
                         "acts; off (1) at other steps (default: every step)",
                 .set = [&t](auto f, auto v) { t.guidance_interval = parse_interval(f, v); }})
      .add_flag(
          {.name = "--control-guidance-interval",
           .value_name = "LOW,HIGH",
           .help = "transfer: timesteps (0..1000) where --control-guidance acts\n"
                   "(default: every step)",
           .set = [&t](auto f, auto v) { t.control_guidance_interval = parse_interval(f, v); }});
}

void check_transfer_flags(const GenerateOptions& options) {
  const TransferFlags& t = options.transfer;
  if (!t.active()) {
    if (t.control_guidance || t.frames_per_chunk || t.num_conditional_frames || t.control_source ||
        t.edge_map || t.blur_map || t.num_first_chunk_conditional_frames || t.guidance_interval ||
        t.control_guidance_interval) {
      throw UsageError(
          "--control-guidance, --guidance-interval, --control-guidance-interval, "
          "--num-video-frames-per-chunk, --num-conditional-frames, "
          "--num-first-chunk-conditional-frames, --control-source, --edge-thresholds and "
          "--blur-sigma apply to transfer jobs: add --control HINT=FILE");
    }
    return;
  }
  check_made_controls(t);
  check_seed_video(options);
  if (const std::optional<std::string> flag = conflicting_flag(options)) {
    throw UsageError(*flag +
                     " cannot be combined with --control: a transfer job generates "
                     "one video from its control videos");
  }
}

}  // namespace cosmos3::app
