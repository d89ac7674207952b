// One rank of the action-mode context-parallel check, run by cosmos3-launch:
//
//   action_cp_check CHECKPOINT_DIR CASE.safetensors
//
// Every rank runs the golden case's action job (tools/make_action_golden.py) twice on the tiny
// checkpoint: alone (the whole model, one rank) and as its part of the launched layout (cp 2:
// the generation tokens, vision and actions, split over the ranks), and exits non-zero when
// the final latents or the predicted actions differ by more than 1e-5 relative (L2). Ulysses
// all-to-alls only move values; ring merges re-associate sums by a few fp32 ulps per layer
// (< ~1e-6); a wrong split of the action tokens moves results by > 1e-2.

#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_generation.h"
#include "core/safetensors/safetensors_file.h"
#include "core/vae/wan_vae.h"
#include "parallel/engine/cfg_parallel.h"
#include "parallel/engine/rank_session.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/norm.h>

#include <nlohmann/json.hpp>

#include <iostream>

using namespace cosmos3;
using Json = nlohmann::json;

namespace {

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual - expected).norm().item<double>() / expected.norm().item<double>();
}

pipeline::ActionPlan plan_of(const Json& flags, const at::Tensor& frames, bool has_actions,
                             const pipeline::PipelineFolder& folder,
                             const model::TransformerConfig& config) {
  pipeline::GenerationRequest request;
  request.prompt = flags["prompt"].get<std::string>();
  request.negative_prompt = flags.value("negative_prompt", std::string());
  request.fps = flags["fps"].get<double>();
  request.num_steps = flags["num_inference_steps"].get<int64_t>();
  request.guidance_scale = flags["guidance_scale"].get<double>();
  request.seed = flags["seed"].get<uint64_t>();
  pipeline::ActionRequest action;
  action.mode = pipeline::parse_action_mode(flags["mode"].get<std::string>());
  action.chunk_size = flags["chunk_size"].get<int64_t>();
  action.domain = flags["domain"].get<std::string>();
  action.resolution_tier = flags["resolution_tier"].get<int64_t>();
  action.view_point = flags["view_point"].get<std::string>();
  action.input = frames.size(0) > 1 ? pipeline::ActionInput::kVideo : pipeline::ActionInput::kImage;
  action.has_actions = has_actions;
  return pipeline::plan_action(request, action, folder, config, frames.size(1), frames.size(2));
}

int run(const std::string& checkpoint_dir, const std::string& case_path) {
  const safetensors::SafetensorsFile file(case_path);
  const Json flags = Json::parse(file.metadata().at("case"));
  const std::map<std::string, at::Tensor> tensors = model::load_named_tensors(case_path);
  const at::Tensor& frames = tensors.at("frames");

  parallel::ParallelDegrees degrees;
  degrees.cp = 2;
  const parallel::RankSession session = parallel::join_ranks(checkpoint_dir, degrees, c10::kCPU);
  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(checkpoint_dir);
  const model::Transformer alone =
      model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
  const model::Transformer part =
      parallel::load_session_transformer(checkpoint_dir, session, at::kFloat);
  const pipeline::PromptTokenizer tokenizer =
      pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
  const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);

  const pipeline::ActionPlan plan =
      plan_of(flags, frames, tensors.count("raw_actions") != 0, folder, alone.config());
  const at::Tensor pixels =
      pipeline::action_canvas_pixels(frames, plan.canvas, plan.resolved.request.num_frames);
  pipeline::ActionJobInputs inputs;
  inputs.clean_latents_BCTHW = pipeline::crop_latents_to_content(
      vae.encode(pipeline::frames_the_vae_reads(pixels, folder.vae_temporal_factor)), plan.canvas,
      folder.vae_spatial_factor);
  if (tensors.count("raw_actions")) {
    inputs.raw_actions_TD = tensors.at("raw_actions");
  }

  model::ModelSeams single_rank;
  pipeline::SequentialGuidance sequential(single_rank);
  const pipeline::ActionGeneration expected =
      pipeline::generate_action(folder, alone, tokenizer, plan, inputs, c10::kCPU, sequential);
  parallel::ParallelGuidance guidance(session.mesh);
  const pipeline::ActionGeneration actual =
      pipeline::generate_action(folder, part, tokenizer, plan, inputs, c10::kCPU, guidance);

  const double latent_error = relative_error(actual.latents_BCTHW, expected.latents_BCTHW);
  const double action_error =
      expected.actions_TD.defined() ? relative_error(actual.actions_TD, expected.actions_TD) : 0.0;
  std::cout << session.describe() << ": " << flags["mode"].get<std::string>()
            << " latents relative error " << latent_error << ", actions " << action_error
            << std::endl;
  return latent_error <= 1e-5 && action_error <= 1e-5 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: action_cp_check CHECKPOINT_DIR CASE.safetensors\n";
    return 2;
  }
  try {
    return run(argv[1], argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
