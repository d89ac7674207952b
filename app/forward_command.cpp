#include "app/tool_commands.h"
#include "core/errors.h"
#include "core/model/transformer.h"
#include "core/safetensors/writer.h"
#include "parallel/engine/parallel_seams.h"
#include "parallel/engine/rank_session.h"

#include <c10/core/InferenceMode.h>

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <string>

namespace cosmos3::tool {
namespace {

constexpr std::string_view kForwardUsage =
    "usage: cosmos3-tool forward --model DIR --inputs IN.safetensors --output OUT.safetensors\n"
    "                            [--dtype float32|bfloat16] [--device cpu|cuda|cuda:N]\n"
    "                            [--tp N] [--cp N]\n"
    "\n"
    "Runs one transformer forward. IN holds tensors named as the diffusers forward's\n"
    "arguments (lists as name.0, name.1, ...); OUT receives sample.N, sound.N, action.N.\n"
    "With --tp/--cp it is one rank of that layout: start tp x cp ranks with\n"
    "`cosmos3-launch --nproc N -- cosmos3-tool forward ...` (--device cuda: one GPU per rank,\n"
    "NCCL); rank 0 writes OUT.\n";

struct ForwardOptions {
  std::string model;
  std::string inputs;
  std::string output;
  c10::ScalarType dtype = at::kFloat;
  c10::Device device = c10::Device(c10::kCPU);
  parallel::ParallelDegrees degrees;
};

int parse_degree(const std::string& flag, const std::string& text) {
  try {
    std::size_t end = 0;
    const int degree = std::stoi(text, &end);
    if (end == text.size() && degree >= 1) {
      return degree;
    }
  } catch (const std::exception&) {
  }
  throw UserError(flag + " takes a number of ranks >= 1, got '" + text + "'");
}

c10::ScalarType parse_dtype(std::string_view name) {
  if (name == "float32" || name == "fp32") {
    return at::kFloat;
  }
  if (name == "bfloat16" || name == "bf16") {
    return at::kBFloat16;
  }
  throw UserError("--dtype '" + std::string(name) + "' is not supported: use float32 or bfloat16");
}

std::optional<ForwardOptions> parse_options(std::span<const std::string_view> arguments) {
  std::map<std::string_view, std::string> values;
  for (std::size_t i = 0; i < arguments.size(); i += 2) {
    const std::string_view flag = arguments[i];
    if (flag != "--model" && flag != "--inputs" && flag != "--output" && flag != "--dtype" &&
        flag != "--device" && flag != "--tp" && flag != "--cp") {
      std::cerr << "cosmos3-tool forward: unknown option '" << flag << "'\n\n";
      return std::nullopt;
    }
    if (i + 1 >= arguments.size()) {
      std::cerr << "cosmos3-tool forward: " << flag << " needs a value\n\n";
      return std::nullopt;
    }
    values[flag] = std::string(arguments[i + 1]);
  }
  if (!values.count("--model") || !values.count("--inputs") || !values.count("--output")) {
    std::cerr << "cosmos3-tool forward: --model, --inputs and --output are required\n\n";
    return std::nullopt;
  }
  ForwardOptions options;
  options.model = values["--model"];
  options.inputs = values["--inputs"];
  options.output = values["--output"];
  if (values.count("--dtype")) {
    options.dtype = parse_dtype(values["--dtype"]);
  }
  if (values.count("--device")) {
    try {
      options.device = c10::Device(values["--device"]);
    } catch (const c10::Error&) {
      throw UserError("--device '" + values["--device"] + "' is not a device: use cpu or cuda:N");
    }
  }
  if (values.count("--tp")) {
    options.degrees.tp = parse_degree("--tp", values["--tp"]);
  }
  if (values.count("--cp")) {
    options.degrees.cp = parse_degree("--cp", values["--cp"]);
  }
  return options;
}

}  // namespace

int run_forward(std::span<const std::string_view> arguments) {
  const std::optional<ForwardOptions> options = parse_options(arguments);
  if (!options) {
    std::cerr << kForwardUsage;
    return kUsageExitCode;
  }
  c10::InferenceMode inference_mode;
  const parallel::RankSession session =
      parallel::join_ranks(options->model, options->degrees, options->device);
  const auto start = std::chrono::steady_clock::now();
  const model::Transformer transformer =
      parallel::load_session_transformer(options->model, session, options->dtype);
  const auto loaded = std::chrono::steady_clock::now();
  const model::TransformerInputs inputs =
      model::inputs_from_named(model::load_named_tensors(options->inputs), options->inputs);
  parallel::ParallelSeams seams(session.mesh);
  const model::TransformerOutputs outputs = transformer.forward(inputs, seams);
  if (!session.mesh.writes_outputs()) {
    return 0;
  }
  safetensors::write_file(options->output, model::outputs_to_named(outputs));
  const auto done = std::chrono::steady_clock::now();
  std::cout << "loaded in " << std::chrono::duration<double>(loaded - start).count()
            << " s, forward and write in " << std::chrono::duration<double>(done - loaded).count()
            << " s as " << session.describe() << "; wrote " << options->output << '\n';
  return 0;
}

}  // namespace cosmos3::tool
