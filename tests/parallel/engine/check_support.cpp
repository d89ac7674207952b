#include "tests/parallel/engine/check_support.h"

#include "core/model/transformer_weights.h"
#include "core/safetensors/checkpoint.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/engine/rank_transformer.h"
#include "parallel/engine/tensor_parallel_weight_source.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/norm.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/to.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace cosmos3::parallel::check {
namespace {

// VmHWM (peak resident) and RssAnon (heap, not file pages) of this process, from /proc.
std::string memory_text() {
  std::ifstream status("/proc/self/status");
  std::string line;
  std::string text;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0 || line.rfind("RssAnon:", 0) == 0) {
      std::string value = line.substr(line.find(':') + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      text += (text.empty() ? "" : ", ") + line.substr(0, line.find(':')) + " " + value;
    }
  }
  return text;
}

}  // namespace

CheckOptions parse_options(int argc, char** argv) {
  CheckOptions options;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    auto value = [&]() -> std::string {
      if (index + 1 >= argc) throw UserError(flag + " needs a value");
      return argv[++index];
    };
    if (flag == "--family")
      options.family = value();
    else if (flag == "--check")
      options.check = value();
    else if (flag == "--cfg")
      options.degrees.cfg = std::stoi(value());
    else if (flag == "--tp")
      options.degrees.tp = std::stoi(value());
    else if (flag == "--cp")
      options.degrees.cp = std::stoi(value());
    else if (flag == "--drop-und-k-norm")
      options.drop_und_k_norm = true;
    else if (flag == "--bf16")
      options.dtype = at::kBFloat16;
    else
      throw UserError("unknown flag " + flag);
  }
  return options;
}

std::string family_dir(const std::string& family) {
  return std::string(COSMOS3_TEST_DATA_DIR) + "/transformer/" + family;
}

CheckContext connect(const CheckOptions& options) {
  const RankEnvironment environment = RankEnvironment::from_environment();
  const HeadLayout heads =
      plan_model_layout(family_dir(options.family), options.degrees, environment.world_size);
  CheckContext context{options, connect_world(environment, Backend::cpu), {}};
  context.mesh = build_rank_mesh(*context.world, options.degrees, heads);
  return context;
}

model::Transformer load_reference(const CheckContext& context) {
  return model::Transformer::load(family_dir(context.options.family), context.options.dtype,
                                  c10::kCPU);
}

model::Transformer load_parallel(const CheckContext& context) {
  if (!context.options.drop_und_k_norm) {
    return load_rank_transformer(family_dir(context.options.family), context.mesh,
                                 context.options.dtype, c10::kCPU);
  }
  const auto folder = model::transformer_folder(family_dir(context.options.family));
  model::TransformerConfig config = model::load_transformer_config(folder / "config.json");
  const safetensors::Checkpoint checkpoint(folder);
  TensorParallelWeightSource source(checkpoint, config, context.mesh.tp_index,
                                    context.mesh.degrees.tp);
  model::TransformerWeights weights =
      model::load_transformer_weights(config, source, context.options.dtype, c10::kCPU);
  for (model::DecoderLayerWeights& layer : weights.layers) {
    layer.self_attn.k_norm_und_for_gen.kind = model::NormKind::kIdentity;
  }
  return model::Transformer(std::move(config), std::move(weights), context.options.dtype);
}

std::vector<int64_t> prompt_ids(int64_t length, int64_t seed,
                                const model::TransformerConfig& config) {
  std::vector<int64_t> ids;
  for (int64_t index = 0; index < length; ++index) {
    ids.push_back((index * 37 + seed * 101 + 7) % config.vocab_size);
  }
  return ids;
}

std::vector<model::TransformerInputs> branch_inputs(const CheckContext& context,
                                                    const model::TransformerConfig& config) {
  const std::string path = family_dir(context.options.family) + "/video.inputs.safetensors";
  const model::TransformerInputs cond =
      model::inputs_from_named(model::load_named_tensors(path), path);
  model::TransformerInputs uncond = cond;
  uncond.input_ids = at::tensor(prompt_ids(cond.input_ids.size(0), 5, config),
                                at::TensorOptions().dtype(at::kLong));
  return {cond, uncond};
}

at::Tensor flat_outputs(const model::TransformerOutputs& outputs) {
  std::vector<at::Tensor> parts;
  for (const auto* list : {&outputs.sample, &outputs.sound, &outputs.action}) {
    for (const at::Tensor& tensor : *list) {
      parts.push_back(tensor.flatten());
    }
  }
  return at::cat(parts, 0);
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  TORCH_CHECK(actual.sizes() == expected.sizes(), "shapes differ: ", actual.sizes(), " vs ",
              expected.sizes());
  const at::Tensor actual_fp32 = actual.to(at::kFloat);
  const at::Tensor expected_fp32 = expected.to(at::kFloat);
  return (actual_fp32 - expected_fp32).norm().item<double>() / expected_fp32.norm().item<double>();
}

void report(const CheckContext& context, const std::string& what, double error) {
  const RankMesh& mesh = context.mesh;
  std::ostringstream line;
  line << context.options.family << (context.options.dtype == at::kFloat ? " fp32 " : " bf16 ")
       << mesh.degrees.describe() << " (ulysses " << mesh.heads.ulysses << " x ring "
       << mesh.heads.ring << ") rank cfg" << mesh.cfg_index << "/cp" << mesh.cp_index << "/tp"
       << mesh.tp_index << ": " << what << ": relative error " << error << "; " << memory_text()
       << "\n";
  std::cout << line.str() << std::flush;
}

int check_layout_error(const CheckOptions& options) {
  const RankEnvironment environment = RankEnvironment::from_environment();
  try {
    plan_model_layout(family_dir(options.family), options.degrees, environment.world_size);
  } catch (const LayoutError& error) {
    const std::string message = error.what();
    std::cout << "refused before loading: " << message << "\n";
    const bool names_choices = message.find("Valid tp degrees") != std::string::npos ||
                               message.find("choose cfg x tp x cp") != std::string::npos ||
                               message.find("cfg must be 1, 2 or 3") != std::string::npos;
    return names_choices ? 0 : 1;
  }
  std::cerr << "layout " << options.degrees.describe() << " was accepted\n";
  return 1;
}

}  // namespace cosmos3::parallel::check
