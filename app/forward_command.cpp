#include "app/tool_commands.h"
#include "core/cli/typed_values.h"
#include "core/errors.h"
#include "core/model/transformer.h"
#include "core/safetensors/writer.h"
#include "parallel/engine/parallel_seams.h"
#include "parallel/engine/rank_session.h"

#include <c10/core/InferenceMode.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

namespace cosmos3::tool {
namespace {

constexpr const char* kForwardNotes =
    "IN holds tensors named as the diffusers forward's arguments (lists as name.0, name.1, ...);\n"
    "OUT receives sample.N, sound.N, action.N. With --tp/--cp it is one rank of that layout:\n"
    "start tp x cp ranks with `cosmos3-launch --nproc N -- cosmos3-tool forward ...`\n"
    "(--device cuda: one GPU per rank, NCCL); rank 0 writes OUT.";

struct ForwardOptions {
  std::string model;
  std::string inputs;
  std::string output;
  c10::ScalarType dtype = at::kFloat;
  c10::Device device = c10::Device(c10::kCPU);
  parallel::ParallelDegrees degrees;
};

int parse_degree(std::string_view flag, std::string_view text) {
  const int degree = cli::to_integer<int>(flag, text);
  if (degree < 1) {
    throw cli::UsageError(std::string(flag) + " takes a number of ranks >= 1, got '" +
                          std::string(text) + "'");
  }
  return degree;
}

c10::Device parse_device(std::string_view flag, std::string_view text) {
  try {
    return c10::Device(std::string(text));
  } catch (const c10::Error&) {
    throw cli::UsageError(std::string(flag) + " takes cpu, cuda or cuda:N, got '" +
                          std::string(text) + "'");
  }
}

cli::FlagSetter store_text(std::string& target) {
  return [&target](std::string_view, std::string_view value) { target = std::string(value); };
}

void add_flags(cli::Command& command, ForwardOptions& o) {
  command
      .add_flag({.name = "--model",
                 .value_name = "DIR",
                 .help = "diffusers folder (model_index.json) or its transformer/",
                 .set = store_text(o.model),
                 .required = true})
      .add_flag({.name = "--inputs",
                 .value_name = "IN.safetensors",
                 .help = "the forward's input tensors",
                 .set = store_text(o.inputs),
                 .required = true})
      .add_flag({.name = "--output",
                 .value_name = "OUT.safetensors",
                 .help = "where the outputs go",
                 .set = store_text(o.output),
                 .required = true})
      .add_flag({.name = "--dtype",
                 .value_name = "T",
                 .help = "float32 (fp32) or bfloat16 (bf16) (default float32)",
                 .set =
                     [&o](auto flag, auto value) {
                       o.dtype = cli::to_enum<c10::ScalarType>(flag, value,
                                                               {{"float32", at::kFloat},
                                                                {"fp32", at::kFloat},
                                                                {"bfloat16", at::kBFloat16},
                                                                {"bf16", at::kBFloat16}});
                     }})
      .add_flag({.name = "--device",
                 .value_name = "D",
                 .help = "cpu, cuda or cuda:N (default cpu)",
                 .set = [&o](auto flag, auto value) { o.device = parse_device(flag, value); }})
      .add_flag({.name = "--tp",
                 .value_name = "N",
                 .help = "tensor-parallel ranks (default 1)",
                 .set = [&o](auto flag, auto value) { o.degrees.tp = parse_degree(flag, value); }})
      .add_flag({.name = "--cp",
                 .value_name = "N",
                 .help = "context-parallel ranks (default 1)",
                 .set = [&o](auto flag, auto value) { o.degrees.cp = parse_degree(flag, value); }});
}

int run_forward(const ForwardOptions& options) {
  c10::InferenceMode inference_mode;
  const parallel::RankSession session =
      parallel::join_ranks(options.model, options.degrees, options.device);
  const auto start = std::chrono::steady_clock::now();
  const model::Transformer transformer =
      parallel::load_session_transformer(options.model, session, options.dtype);
  const auto loaded = std::chrono::steady_clock::now();
  const model::TransformerInputs inputs =
      model::inputs_from_named(model::load_named_tensors(options.inputs), options.inputs);
  parallel::ParallelSeams seams(session.mesh);
  const model::TransformerOutputs outputs = transformer.forward(inputs, seams);
  if (!session.mesh.writes_outputs()) {
    return 0;
  }
  safetensors::write_file(options.output, model::outputs_to_named(outputs));
  const auto done = std::chrono::steady_clock::now();
  std::cout << "loaded in " << std::chrono::duration<double>(loaded - start).count()
            << " s, forward and write in " << std::chrono::duration<double>(done - loaded).count()
            << " s as " << session.describe() << "; wrote " << options.output << '\n';
  return 0;
}

}  // namespace

cli::Command forward_command() {
  auto options = std::make_shared<ForwardOptions>();
  cli::Command command("forward", "run one transformer forward on named input tensors");
  add_flags(command, *options);
  command.set_notes(kForwardNotes).set_action([options] { return run_forward(*options); });
  return command;
}

}  // namespace cosmos3::tool
