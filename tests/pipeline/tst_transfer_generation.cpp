// Transfer on the embedded tiny checkpoint (cosmos3-tool make-tiny-checkpoint) against the
// reference's modular transfer blocks (tools/make_transfer_golden.py): the same control videos
// (and input video) go in; the chunk plan, control padding, per-chunk encodes, the
// [text, controls..., target] layouts, the passes each step runs, their combination, the seeded
// noise, the re-pinned seed frames, the per-chunk decode and the stitching must give the same
// last-chunk latents and the same stitched video. Cases: each combination of passes (cond only,
// + no-control, + uncond, all three), two hints given out of order with guidance intervals that
// drop passes on some steps, two chunks, and a first chunk seeded from an input video.
//
// Tolerances: latents 1e-5 relative (L2), video 1e-4 absolute (of a [0, 1] range). Both sides
// run the same libtorch kernels in the same order in fp32, so agreement is exact or within
// float32 rounding, and the decode bound allows rounding in long convolution stacks (as
// tst_conditioned_generation). A wrong hint order, position, pass, combination, interval,
// padding, seed frame or stitch moves the result by > 1e-2.

#include "core/pipeline/conditioning.h"
#include "core/pipeline/transfer_generation.h"
#include "core/vae/wan_vae.h"
#include "tests/pipeline/golden_case.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/norm.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

using namespace cosmos3;
using Json = nlohmann::json;

namespace {

std::string data_dir() { return std::string(COSMOS3_TEST_DATA_DIR); }

using Case = test::GoldenCase;

Case load_case(const std::string& name) {
  return test::load_golden_case(data_dir() + "/transfer/" + name + ".safetensors");
}

pipeline::GuidanceInterval interval_of(const Json& flags, const char* key) {
  if (!flags.contains(key)) {
    return std::nullopt;
  }
  return std::make_pair(flags[key][0].get<double>(), flags[key][1].get<double>());
}

template <typename T>
std::optional<T> optional_flag(const Json& flags, const char* key) {
  return flags.contains(key) ? std::optional<T>(flags[key].get<T>()) : std::nullopt;
}

pipeline::TransferRequest request_of(const Json& flags) {
  pipeline::TransferRequest request;
  request.prompt = flags["prompt"].get<std::string>();
  request.negative_prompt = optional_flag<std::string>(flags, "negative_prompt");
  request.height = flags["height"].get<int64_t>();
  request.width = flags["width"].get<int64_t>();
  request.num_frames = optional_flag<int64_t>(flags, "num_frames");
  request.frames_per_chunk = optional_flag<int64_t>(flags, "num_video_frames_per_chunk");
  request.num_conditional_frames =
      optional_flag<int64_t>(flags, "num_conditional_frames").value_or(1);
  request.num_first_chunk_conditional_frames =
      optional_flag<int64_t>(flags, "num_first_chunk_conditional_frames").value_or(0);
  request.fps = flags["fps"].get<double>();
  request.num_steps = flags["num_inference_steps"].get<int64_t>();
  request.guidance.guidance_scale = flags["guidance_scale"].get<double>();
  request.guidance.control_guidance = flags["control_guidance"].get<double>();
  request.guidance.guidance_interval = interval_of(flags, "guidance_interval");
  request.guidance.control_guidance_interval = interval_of(flags, "control_guidance_interval");
  request.flow_shift = 10.0;  // the script's scheduler, as the transfer presets run it
  request.seed = flags["seed"].get<uint64_t>();
  request.use_system_prompt = optional_flag<bool>(flags, "use_system_prompt").value_or(true);
  return request;
}

pipeline::TransferInputs inputs_of(const Case& golden, const pipeline::TransferRequest& request) {
  pipeline::TransferInputs inputs;
  for (const Json& hint : golden.flags["hints"]) {
    const std::string name = hint.get<std::string>();
    inputs.controls.push_back(
        {pipeline::parse_control_hint(name),
         pipeline::preprocess_conditioning_video(golden.tensors.at("control_" + name),
                                                 request.height, request.width)});
  }
  if (golden.tensors.count("video")) {
    inputs.input_video_B3THW = pipeline::preprocess_conditioning_video(
        golden.tensors.at("video"), request.height, request.width);
  }
  return inputs;
}

}  // namespace

class TransferGenerationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name :
         {"edge_cond_only", "depth_control_cfg", "blur_text_cfg", "seg_all_passes",
          "two_hints_intervals", "two_chunks", "first_chunk_from_video"}) {
      QTest::newRow(name) << QString(name);
    }
  }

  void matchesReference() {
    QFETCH(QString, name);
    const Case golden = load_case(name.toStdString());
    const pipeline::PipelineFolder folder =
        pipeline::read_pipeline_folder(data_dir() + "/tiny_checkpoint");
    const model::Transformer transformer =
        model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
    const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);
    const pipeline::VaeCodec codec{
        [&](const at::Tensor& pixels) { return vae.encode(pixels).to(at::kFloat); },
        [&](const at::Tensor& latents) { return vae.decode(latents).to(at::kFloat); }};

    const pipeline::TransferRequest request = request_of(golden.flags);
    model::ModelSeams single_rank;
    pipeline::SequentialGuidance sequential(single_rank);
    int64_t num_steps_reported = 0;
    pipeline::DenoiseCallbacks callbacks;
    callbacks.on_step_done = [&](int64_t step, int64_t) { num_steps_reported = step; };
    const pipeline::TransferGeneration generation = pipeline::generate_transfer(
        folder, transformer, tokenizer, request, inputs_of(golden, request), codec, c10::kCPU,
        sequential, callbacks);
    QVERIFY(!generation.cancelled);
    QCOMPARE(generation.num_chunks_done, generation.plan.num_chunks);
    QCOMPARE(num_steps_reported, generation.plan.num_chunks * request.num_steps);
    QCOMPARE(generation.num_steps_done, num_steps_reported);
    if (name == "two_chunks") {
      QCOMPARE(generation.plan.num_chunks, int64_t{2});
    }

    const at::Tensor& expected_latents = golden.tensors.at("latents");
    QVERIFY(generation.last_latents_BCTHW.sizes() == expected_latents.sizes());
    const double latent_error =
        (generation.last_latents_BCTHW - expected_latents).norm().item<double>() /
        expected_latents.norm().item<double>();
    const at::Tensor video = (generation.video_B3THW / 2.0 + 0.5).clamp(0, 1);
    const at::Tensor& expected_video = golden.tensors.at("video_out");
    QVERIFY(video.sizes() == expected_video.sizes());
    const double video_error = (video - expected_video).abs().max().item<double>();
    qInfo("latents relative error %g, video max abs error %g", latent_error, video_error);
    QVERIFY(latent_error <= 1e-5);
    QVERIFY(video_error <= 1e-4);
  }

  // A stop asked for mid-run takes effect before the next step, even in a later chunk, and
  // leaves no video.
  void stopsWhenCancelled() {
    const Case golden = load_case("two_chunks");
    const pipeline::PipelineFolder folder =
        pipeline::read_pipeline_folder(data_dir() + "/tiny_checkpoint");
    const model::Transformer transformer =
        model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
    const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);
    const pipeline::VaeCodec codec{
        [&](const at::Tensor& pixels) { return vae.encode(pixels).to(at::kFloat); },
        [&](const at::Tensor& latents) { return vae.decode(latents).to(at::kFloat); }};
    const pipeline::TransferRequest request = request_of(golden.flags);
    QCOMPARE(request.num_steps, int64_t{2});
    model::ModelSeams single_rank;
    pipeline::SequentialGuidance sequential(single_rank);
    int64_t num_steps_reported = 0;
    pipeline::DenoiseCallbacks callbacks;
    callbacks.on_step_done = [&](int64_t step, int64_t) { num_steps_reported = step; };
    callbacks.cancel_requested = [&] { return num_steps_reported == 3; };
    const pipeline::TransferGeneration generation = pipeline::generate_transfer(
        folder, transformer, tokenizer, request, inputs_of(golden, request), codec, c10::kCPU,
        sequential, callbacks);
    QVERIFY(generation.cancelled);
    QCOMPARE(generation.num_chunks_done, int64_t{1});
    QCOMPARE(generation.num_steps_done, int64_t{3});
    QVERIFY(!generation.video_B3THW.defined());
  }
};

QTEST_APPLESS_MAIN(TransferGenerationTest)
#include "tst_transfer_generation.moc"
