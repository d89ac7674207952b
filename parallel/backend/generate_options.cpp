#include "parallel/backend/generate_options.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace cosmos3::app {
namespace {

constexpr std::string_view kUsage =
    "usage: cosmos3-generate --model DIR --prompt TEXT --output-dir DIR [options]\n"
    "\n"
    "Generates an image (--num-frames 1) or a video from a prompt with a diffusers Cosmos3\n"
    "pipeline folder.\n"
    "\n"
    "  --model DIR               pipeline folder (model_index.json, transformer/, ...)\n"
    "  --prompt TEXT             what to generate (not empty)\n"
    "  --negative-prompt TEXT    what to steer away from (default: empty)\n"
    "  --num-frames N            1, or 1 + 4k frames (default 189)\n"
    "  --height H --width W      multiples of 16 (default 720 x 1280)\n"
    "  --fps F                   frame rate, > 0 (default 24)\n"
    "  --steps N                 denoising steps, >= 1 (default 35; distilled: fixed)\n"
    "  --guidance-scale G        >= 0, 1 turns guidance off (default 6; distilled: 1)\n"
    "  --flow-shift S            > 0 (default: the scheduler config's)\n"
    "  --seed N                  noise seed (default: random, printed)\n"
    "  --use-system-prompt B     true|false (default: the checkpoint's)\n"
    "  --vision-path FILE        image-to-video: anchor frame 0 on this image\n"
    "  --video-path FILE         video-to-video: continue this video\n"
    "  --condition-frame-indexes I,J  latent frames the video fixes (default 0,1)\n"
    "  --condition-video-keep K  first|last: which end of the video to keep (default first)\n"
    "  --output-dir DIR          where outputs go (created if missing)\n"
    "  --output-latents FILE     also write the final latents (.safetensors)\n"
    "  --device D                cpu, cuda or cuda:N (default cpu)\n"
    "  --dtype T                 float32 or bfloat16 (default float32)\n"
    "  --cfg-parallel N          1, or 2: cond and uncond on separate rank groups (default 1)\n"
    "  --tp N                    tensor-parallel ranks: divides the query heads (default 1)\n"
    "  --cp N                    context-parallel ranks over the video tokens (default 1)\n"
    "                            cfg x tp x cp > 1 starts one process per rank (one GPU each\n"
    "                            with --device cuda); rank logs go to OUTPUT_DIR/rank-logs\n"
    "  --help                    this text\n";

template <typename Number>
Number parse_number(std::string_view flag, std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw UsageError(std::string(flag) + " takes a number, got '" + std::string(text) + "'");
  }
  return value;
}

bool parse_bool(std::string_view flag, std::string_view text) {
  if (text == "true" || text == "1" || text == "yes") {
    return true;
  }
  if (text == "false" || text == "0" || text == "no") {
    return false;
  }
  throw UsageError(std::string(flag) + " takes true or false, got '" + std::string(text) + "'");
}

c10::ScalarType parse_dtype(std::string_view text) {
  if (text == "float32") {
    return c10::kFloat;
  }
  if (text == "bfloat16") {
    return c10::kBFloat16;
  }
  throw UsageError("--dtype takes float32 or bfloat16, got '" + std::string(text) + "'");
}

c10::Device parse_device(std::string_view text) {
  try {
    return c10::Device(std::string(text));
  } catch (const std::exception&) {
    throw UsageError("--device takes cpu, cuda or cuda:N, got '" + std::string(text) + "'");
  }
}

std::vector<int64_t> parse_index_list(std::string_view flag, std::string_view text) {
  std::vector<int64_t> indexes;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    indexes.push_back(parse_number<int64_t>(flag, text.substr(start, comma - start)));
    start = comma + 1;
  }
  return indexes;
}

bool parse_keep(std::string_view text) {
  if (text == "first" || text == "last") {
    return text == "last";
  }
  throw UsageError("--condition-video-keep takes first or last, got '" + std::string(text) + "'");
}

int parse_degree(std::string_view flag, std::string_view text) {
  const int degree = parse_number<int>(flag, text);
  if (degree < 1) {
    throw UsageError(std::string(flag) + " takes a number of ranks >= 1, got " + std::string(text));
  }
  return degree;
}

using Setter = std::function<void(GenerateOptions&, std::string_view flag, std::string_view)>;

const std::map<std::string_view, Setter>& setters() {
  static const std::map<std::string_view, Setter> table{
      {"--model", [](auto& o, auto, auto v) { o.model_dir = std::string(v); }},
      {"--prompt", [](auto& o, auto, auto v) { o.request.prompt = std::string(v); }},
      {"--negative-prompt",
       [](auto& o, auto, auto v) { o.request.negative_prompt = std::string(v); }},
      {"--num-frames",
       [](auto& o, auto f, auto v) { o.request.num_frames = parse_number<int>(f, v); }},
      {"--height", [](auto& o, auto f, auto v) { o.request.height = parse_number<int>(f, v); }},
      {"--width", [](auto& o, auto f, auto v) { o.request.width = parse_number<int>(f, v); }},
      {"--fps", [](auto& o, auto f, auto v) { o.request.fps = parse_number<double>(f, v); }},
      {"--steps",
       [](auto& o, auto f, auto v) { o.request.num_steps = parse_number<int64_t>(f, v); }},
      {"--guidance-scale",
       [](auto& o, auto f, auto v) { o.request.guidance_scale = parse_number<double>(f, v); }},
      {"--flow-shift",
       [](auto& o, auto f, auto v) { o.request.flow_shift = parse_number<double>(f, v); }},
      {"--seed",
       [](auto& o, auto f, auto v) {
         o.request.seed = parse_number<uint64_t>(f, v);
         o.seed_given = true;
       }},
      {"--use-system-prompt",
       [](auto& o, auto f, auto v) { o.request.use_system_prompt = parse_bool(f, v); }},
      {"--vision-path", [](auto& o, auto, auto v) { o.vision_path = std::string(v); }},
      {"--video-path", [](auto& o, auto, auto v) { o.video_path = std::string(v); }},
      {"--condition-frame-indexes",
       [](auto& o, auto f, auto v) { o.condition_frame_indexes = parse_index_list(f, v); }},
      {"--condition-video-keep", [](auto& o, auto, auto v) { o.keep_last_frames = parse_keep(v); }},
      {"--output-dir", [](auto& o, auto, auto v) { o.output_dir = std::string(v); }},
      {"--output-latents", [](auto& o, auto, auto v) { o.output_latents = std::string(v); }},
      {"--device", [](auto& o, auto, auto v) { o.device = parse_device(v); }},
      {"--dtype", [](auto& o, auto, auto v) { o.dtype = parse_dtype(v); }},
      {"--cfg-parallel", [](auto& o, auto f, auto v) { o.cfg_parallel = parse_degree(f, v); }},
      {"--tp", [](auto& o, auto f, auto v) { o.tensor_parallel = parse_degree(f, v); }},
      {"--cp", [](auto& o, auto f, auto v) { o.context_parallel = parse_degree(f, v); }},
  };
  return table;
}

std::string known_flags() {
  std::string names;
  for (const auto& [name, setter] : setters()) {
    names += (names.empty() ? "" : " ") + std::string(name);
  }
  return names + " --help";
}

}  // namespace

std::string_view generate_usage() { return kUsage; }

GenerateOptions parse_generate_options(std::span<const std::string_view> arguments) {
  GenerateOptions options;
  std::set<std::string_view> seen;
  for (size_t index = 0; index < arguments.size(); ++index) {
    std::string_view flag = arguments[index];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      return options;
    }
    std::optional<std::string_view> value;
    if (const size_t equals = flag.find('='); flag.starts_with("--") && equals != flag.npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    }
    const auto setter = setters().find(flag);
    if (setter == setters().end()) {
      throw UsageError("unknown flag '" + std::string(flag) + "' (flags: " + known_flags() + ")");
    }
    if (!seen.insert(setter->first).second) {
      throw UsageError(std::string(flag) + " is given twice");
    }
    if (!value) {
      if (index + 1 >= arguments.size()) {
        throw UsageError(std::string(flag) + " needs a value");
      }
      value = arguments[++index];
    }
    setter->second(options, flag, *value);
  }
  for (const std::string_view required : {"--model", "--prompt", "--output-dir"}) {
    if (!seen.count(required)) {
      throw UsageError(std::string(required) + " is required");
    }
  }
  if (options.vision_path && options.video_path) {
    throw UsageError(
        "pass --vision-path (image-to-video) or --video-path (video-to-video), "
        "not both");
  }
  if (!options.video_path &&
      (seen.count("--condition-frame-indexes") || seen.count("--condition-video-keep"))) {
    throw UsageError(
        "--condition-frame-indexes and --condition-video-keep apply to "
        "--video-path only");
  }
  return options;
}

}  // namespace cosmos3::app
