#include "parallel/backend/generate_options.h"

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "core/pipeline/step_precision.h"
#include "parallel/backend/action_options.h"

#include <algorithm>

namespace cosmos3::app {
namespace {

constexpr const char* kSummary =
    "Generates an image (--num-frames 1) or a video from a prompt with a diffusers Cosmos3\n"
    "pipeline folder.";

c10::Device parse_device(std::string_view flag, std::string_view text) {
  try {
    return c10::Device(std::string(text));
  } catch (const std::exception&) {
    throw UsageError(std::string(flag) + " takes cpu, cuda or cuda:N, got '" + std::string(text) +
                     "'");
  }
}

std::vector<int64_t> parse_index_list(std::string_view flag, std::string_view text) {
  std::vector<int64_t> indexes;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    indexes.push_back(cli::to_integer<int64_t>(flag, text.substr(start, comma - start)));
    start = comma + 1;
  }
  return indexes;
}

int parse_degree(std::string_view flag, std::string_view text) {
  const int degree = cli::to_integer<int>(flag, text);
  if (degree < 1) {
    throw UsageError(std::string(flag) + " takes a number of ranks >= 1, got " + std::string(text));
  }
  return degree;
}

// Which flags were given, for the checks across flags after parsing.
struct GivenFlags {
  bool condition_frame_indexes = false;
  bool condition_video_keep = false;
  GivenActionFlags action;
};

// Text flags: the setter stores the value as given.
template <typename Target>
cli::FlagSetter store_text(Target& target) {
  return [&target](std::string_view, std::string_view value) { target = std::string(value); };
}

void add_request_flags(cli::Command& command, GenerateOptions& o, GivenFlags& given) {
  pipeline::GenerationRequest& r = o.request;
  command
      .add_flag({.name = "--model",
                 .value_name = "DIR",
                 .help = "pipeline folder (model_index.json, transformer/, ...)",
                 .set = store_text(o.model_dir),
                 .required = true})
      .add_flag({.name = "--prompt",
                 .value_name = "TEXT",
                 .help = "what to generate (not empty)",
                 .set = store_text(r.prompt),
                 .required = true})
      .add_flag({.name = "--negative-prompt",
                 .value_name = "TEXT",
                 .help = "what to steer away from (default: empty)",
                 .set = store_text(r.negative_prompt)})
      .add_flag({.name = "--num-frames",
                 .value_name = "N",
                 .help = "1, or 1 + 4k frames (default 189)",
                 .set =
                     [&o, &r, &given](auto f, auto v) {
                       r.num_frames = cli::to_integer<int>(f, v);
                       given.action.frames_or_size = true;
                       o.transfer.num_frames_given = true;
                     }})
      .add_flag({.name = "--height",
                 .value_name = "H",
                 .help = "a multiple of 16 (default 720)",
                 .set =
                     [&r, &given](auto f, auto v) {
                       r.height = cli::to_integer<int>(f, v);
                       given.action.frames_or_size = true;
                     }})
      .add_flag({.name = "--width",
                 .value_name = "W",
                 .help = "a multiple of 16 (default 1280)",
                 .set =
                     [&r, &given](auto f, auto v) {
                       r.width = cli::to_integer<int>(f, v);
                       given.action.frames_or_size = true;
                     }})
      .add_flag({.name = "--fps",
                 .value_name = "F",
                 .help = "frame rate, > 0 (default 24)",
                 .set =
                     [&o, &r](auto f, auto v) {
                       r.fps = cli::to_number(f, v);
                       o.transfer.fps_given = true;
                     }})
      .add_flag({.name = "--steps",
                 .value_name = "N",
                 .help = "denoising steps, >= 1 (default 35; distilled: fixed)",
                 .set = [&r](auto f, auto v) { r.num_steps = cli::to_integer<int64_t>(f, v); }})
      .add_flag({.name = "--guidance-scale",
                 .value_name = "G",
                 .help = ">= 0, 1 turns guidance off (default 6; distilled: 1)",
                 .set = [&r](auto f, auto v) { r.guidance_scale = cli::to_number(f, v); }})
      .add_flag({.name = "--flow-shift",
                 .value_name = "S",
                 .help = "> 0 (default: the scheduler config's)",
                 .set = [&r](auto f, auto v) { r.flow_shift = cli::to_number(f, v); }})
      .add_flag({.name = "--seed",
                 .value_name = "N",
                 .help = "noise seed (default: random, printed)",
                 .set =
                     [&o](auto f, auto v) {
                       o.request.seed = cli::to_integer<uint64_t>(f, v);
                       o.seed_given = true;
                     }})
      .add_flag({.name = "--use-system-prompt",
                 .value_name = "B",
                 .help = "true|false (default: the checkpoint's)",
                 .set = [&r](auto f, auto v) { r.use_system_prompt = cli::to_bool(f, v); }})
      .add_flag({.name = "--sound",
                 .help = "also generate a stereo soundtrack (AAC in sample.mp4, sample.wav);\n"
                         "needs a checkpoint with sound_gen and a sound tokenizer",
                 .set = [&r](auto, auto) { r.enable_sound = true; }});
}

void add_conditioning_flags(cli::Command& command, GenerateOptions& o, GivenFlags& given) {
  command
      .add_flag({.name = "--vision-path",
                 .value_name = "FILE",
                 .help = "image-to-video: anchor frame 0 on this image",
                 .set = store_text(o.vision_path)})
      .add_flag({.name = "--video-path",
                 .value_name = "FILE",
                 .help = "video-to-video: continue this video; with --control, the video\n"
                         "the first chunk starts from",
                 .set = store_text(o.video_path)})
      .add_flag({.name = "--condition-frame-indexes",
                 .value_name = "I,J",
                 .help = "latent frames the video fixes (default 0,1)",
                 .set =
                     [&o, &given](auto f, auto v) {
                       o.condition_frame_indexes = parse_index_list(f, v);
                       given.condition_frame_indexes = true;
                     }})
      .add_flag(
          {.name = "--condition-video-keep",
           .value_name = "K",
           .help = "first|last: which end of the video to keep (default first)",
           .set = [&o, &given](auto f, auto v) {
             o.keep_last_frames = cli::to_enum<bool>(f, v, {{"first", false}, {"last", true}});
             given.condition_video_keep = true;
           }});
}

void add_output_and_device_flags(cli::Command& command, GenerateOptions& o) {
  command
      .add_flag({.name = "--output-dir",
                 .value_name = "DIR",
                 .help = "where outputs go (created if missing)",
                 .set = store_text(o.output_dir),
                 .required = true})
      .add_flag({.name = "--output-latents",
                 .value_name = "FILE",
                 .help = "also write the final latents (.safetensors)",
                 .set = store_text(o.output_latents)})
      .add_flag({.name = "--device",
                 .value_name = "D",
                 .help = "cpu, cuda or cuda:N (default cpu)",
                 .set = [&o](auto f, auto v) { o.device = parse_device(f, v); }})
      .add_flag({.name = "--dtype",
                 .value_name = "T",
                 .help = "float32 or bfloat16 (default float32)",
                 .set =
                     [&o](auto f, auto v) {
                       o.dtype = cli::to_enum<c10::ScalarType>(
                           f, v, {{"float32", c10::kFloat}, {"bfloat16", c10::kBFloat16}});
                     }})
      .add_flag({.name = "--precision",
                 .value_name = "P",
                 .help = "bf16 (exact) or fp8: FP8 GEMMs in all but the first and last 3\n"
                         "steps, faster, slightly different output; CUDA and bfloat16 only\n"
                         "(default bf16)",
                 .set =
                     [&o](auto f, auto v) {
                       o.request.precision = cli::to_enum<model::Precision>(
                           f, v,
                           {{"bf16", model::Precision::kBf16}, {"fp8", model::Precision::kFp8}});
                     }})
      .add_flag({.name = "--cfg-parallel",
                 .value_name = "N",
                 .help = "1; 2: cond and uncond on separate rank groups; 3: transfer's\n"
                         "three passes, one group each (default 1)",
                 .set = [&o](auto f, auto v) { o.cfg_parallel = parse_degree(f, v); }})
      .add_flag({.name = "--tp",
                 .value_name = "N",
                 .help = "tensor-parallel ranks: divides the query heads (default 1)",
                 .set = [&o](auto f, auto v) { o.tensor_parallel = parse_degree(f, v); }})
      .add_flag({.name = "--cp",
                 .value_name = "N",
                 .help = "context-parallel ranks over the video tokens (default 1)",
                 .set = [&o](auto f, auto v) { o.context_parallel = parse_degree(f, v); }})
      .set_notes(
          "cfg x tp x cp > 1 starts one process per rank (one GPU each with --device cuda);\n"
          "rank logs go to OUTPUT_DIR/rank-logs.");
}

// FP8 is refused before anything loads, where it cannot run or where it is not wired in.
void check_precision_flag(const GenerateOptions& options) {
  const std::string blocker =
      pipeline::precision_blocker(options.request.precision, options.device, options.dtype);
  if (!blocker.empty()) {
    throw UsageError("--precision fp8 runs only with --device cuda and --dtype bfloat16, but " +
                     blocker + ": use --precision bf16");
  }
  if (options.request.precision == model::Precision::kFp8 && options.action) {
    throw UsageError("--precision fp8 does not apply to an action job: use --precision bf16");
  }
  // The transfer loop has no FP8 path yet.
  if (options.request.precision == model::Precision::kFp8 && options.transfer.active()) {
    throw UsageError(
        "--precision fp8 does not apply to a transfer job (--control): use "
        "--precision bf16");
  }
}

cli::Command generate_command(GenerateOptions& options, GivenFlags& given) {
  cli::Command command("cosmos3-generate", kSummary);
  add_request_flags(command, options, given);
  add_conditioning_flags(command, options, given);
  add_action_flags(command, options, given.action);
  add_transfer_flags(command, options);
  add_output_and_device_flags(command, options);
  return command;
}

}  // namespace

std::string_view generate_usage() {
  static const std::string usage = [] {
    GenerateOptions unused_options;
    GivenFlags unused_given;
    return generate_command(unused_options, unused_given).usage();
  }();
  return usage;
}

GenerateOptions parse_generate_options(std::span<const std::string_view> arguments) {
  GenerateOptions options;
  GivenFlags given;
  const cli::Command command = generate_command(options, given);
  if (command.parse(arguments).help_requested) {
    options.help = true;
    return options;
  }
  if (options.vision_path && options.video_path) {
    throw UsageError(
        "pass --vision-path (image-to-video) or --video-path (video-to-video), "
        "not both");
  }
  given.action.condition_video = given.condition_frame_indexes || given.condition_video_keep;
  check_action_flags(options, given.action);
  check_transfer_flags(options);
  check_precision_flag(options);
  if (!options.video_path && (given.condition_frame_indexes || given.condition_video_keep)) {
    throw UsageError(
        "--condition-frame-indexes and --condition-video-keep apply to "
        "--video-path only");
  }
  if (options.transfer.active() && given.action.condition_video) {
    throw UsageError(
        "--condition-frame-indexes and --condition-video-keep apply to video-to-video: a "
        "transfer job (--control) starts from --video-path's first "
        "--num-first-chunk-conditional-frames frames");
  }
  return options;
}

}  // namespace cosmos3::app
