#include "app/tool_commands.h"
#include "core/errors.h"
#include "core/model/transformer.h"
#include "core/safetensors/writer.h"

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
    "\n"
    "Runs one transformer forward. IN holds tensors named as the diffusers forward's\n"
    "arguments (lists as name.0, name.1, ...); OUT receives sample.N, sound.N, action.N.\n";

struct ForwardOptions {
  std::string model;
  std::string inputs;
  std::string output;
  c10::ScalarType dtype = at::kFloat;
  c10::Device device = c10::Device(c10::kCPU);
};

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
        flag != "--device") {
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
  ForwardOptions options{values["--model"], values["--inputs"], values["--output"]};
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
  const auto start = std::chrono::steady_clock::now();
  const model::Transformer transformer =
      model::Transformer::load(options->model, options->dtype, options->device);
  const auto loaded = std::chrono::steady_clock::now();
  const model::TransformerInputs inputs =
      model::inputs_from_named(model::load_named_tensors(options->inputs), options->inputs);
  const model::TransformerOutputs outputs = transformer.forward(inputs);
  safetensors::write_file(options->output, model::outputs_to_named(outputs));
  const auto done = std::chrono::steady_clock::now();
  std::cout << "loaded in " << std::chrono::duration<double>(loaded - start).count()
            << " s, forward and write in " << std::chrono::duration<double>(done - loaded).count()
            << " s; wrote " << options->output << '\n';
  return 0;
}

}  // namespace cosmos3::tool
