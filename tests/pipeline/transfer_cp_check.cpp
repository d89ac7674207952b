// One rank of the transfer parallel check, run by cosmos3-launch with CFG x CP processes:
//
//   transfer_cp_check CHECKPOINT_DIR CASE.safetensors CFG CP
//
// Every rank runs the golden case's transfer (tools/make_transfer_golden.py) twice on the tiny
// checkpoint: alone (the whole model, one rank) and as its part of the launched layout, and
// exits non-zero when the last chunk's latents or the stitched video differ by more than 1e-5
// relative (L2).
// - cp 2: the generation tokens, the clean control items and the noisy target alike are split
//   over the ranks. Ulysses all-to-alls only move values; ring merges re-associate sums by a few
//   fp32 ulps per layer (< ~1e-6); a control item split or read back wrongly moves the result by
//   > 1e-2.
// - cfg 2 and 3: the up to three guidance passes are dealt over the rank groups (pass b on group
//   b % cfg; on cfg 3 a group without a pass that step recomputes the last one) and traded once
//   per step; each pass is computed exactly as alone, so the result is equal unless a pass is
//   lost, duplicated or put in the wrong place (a swapped pass moves it by > 1e-2).
// - cfg 3 x cp 2: both at once, so each pass's group splits its sequence over two ranks.

#include "core/pipeline/conditioning.h"
#include "core/pipeline/transfer_generation.h"
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

pipeline::GuidanceInterval interval_of(const Json& flags, const char* key) {
  if (!flags.contains(key)) {
    return std::nullopt;
  }
  return std::make_pair(flags[key][0].get<double>(), flags[key][1].get<double>());
}

pipeline::TransferRequest request_of(const Json& flags) {
  pipeline::TransferRequest request;
  request.prompt = flags["prompt"].get<std::string>();
  if (flags.contains("negative_prompt")) {
    request.negative_prompt = flags["negative_prompt"].get<std::string>();
  }
  request.height = flags["height"].get<int64_t>();
  request.width = flags["width"].get<int64_t>();
  if (flags.contains("num_frames")) request.num_frames = flags["num_frames"].get<int64_t>();
  if (flags.contains("num_video_frames_per_chunk")) {
    request.frames_per_chunk = flags["num_video_frames_per_chunk"].get<int64_t>();
  }
  request.fps = flags["fps"].get<double>();
  request.num_steps = flags["num_inference_steps"].get<int64_t>();
  request.guidance.guidance_scale = flags["guidance_scale"].get<double>();
  request.guidance.control_guidance = flags["control_guidance"].get<double>();
  request.guidance.guidance_interval = interval_of(flags, "guidance_interval");
  request.guidance.control_guidance_interval = interval_of(flags, "control_guidance_interval");
  request.flow_shift = 10.0;
  request.seed = flags["seed"].get<uint64_t>();
  return request;
}

int run(const std::string& checkpoint_dir, const std::string& case_path,
        const parallel::ParallelDegrees& degrees) {
  const safetensors::SafetensorsFile file(case_path);
  const Json flags = Json::parse(file.metadata().at("case"));
  const std::map<std::string, at::Tensor> tensors = model::load_named_tensors(case_path);
  const pipeline::TransferRequest request = request_of(flags);
  pipeline::TransferInputs inputs;
  for (const Json& hint : flags["hints"]) {
    const std::string name = hint.get<std::string>();
    inputs.controls.push_back({pipeline::parse_control_hint(name),
                               pipeline::preprocess_conditioning_video(
                                   tensors.at("control_" + name), request.height, request.width)});
  }

  const parallel::RankSession session = parallel::join_ranks(checkpoint_dir, degrees, c10::kCPU);
  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(checkpoint_dir);
  const model::Transformer alone =
      model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
  const model::Transformer part =
      parallel::load_session_transformer(checkpoint_dir, session, at::kFloat);
  const pipeline::PromptTokenizer tokenizer =
      pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
  const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);
  const pipeline::VaeCodec codec{
      [&](const at::Tensor& pixels) { return vae.encode(pixels).to(at::kFloat); },
      [&](const at::Tensor& latents) { return vae.decode(latents).to(at::kFloat); }};

  model::ModelSeams single_rank;
  pipeline::SequentialGuidance sequential(single_rank);
  const pipeline::TransferGeneration expected = pipeline::generate_transfer(
      folder, alone, tokenizer, request, inputs, codec, c10::kCPU, sequential);
  parallel::ParallelGuidance guidance(session.mesh);
  const pipeline::TransferGeneration actual = pipeline::generate_transfer(
      folder, part, tokenizer, request, inputs, codec, c10::kCPU, guidance);

  const double latent_error =
      relative_error(actual.last_latents_BCTHW, expected.last_latents_BCTHW);
  const double video_error = relative_error(actual.video_B3THW, expected.video_B3THW);
  std::cout << session.describe() << ": transfer latents relative error " << latent_error
            << ", video " << video_error << std::endl;
  return latent_error <= 1e-5 && video_error <= 1e-5 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: transfer_cp_check CHECKPOINT_DIR CASE.safetensors CFG CP\n";
    return 2;
  }
  try {
    parallel::ParallelDegrees degrees;
    degrees.cfg = std::stoi(argv[3]);
    degrees.cp = std::stoi(argv[4]);
    return run(argv[1], argv[2], degrees);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
