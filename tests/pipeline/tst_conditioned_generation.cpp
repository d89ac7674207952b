// Image-to-video, video-to-video and text-to-video with the VAE, on the embedded tiny checkpoint
// (cosmos3-tool make-tiny-checkpoint), against the reference's whole modular pipeline
// (tools/make_conditioned_golden.py): the same conditioning frames go in, the final latents and
// the decoded video must come out the same.
//
// Tolerances: latents 1e-5 relative, video 1e-4 absolute (of a [0, 1] range). Both sides run the
// same libtorch kernels in the same order, so agreement is normally exact or within float32
// rounding; the decode bound allows rounding differences in long convolution stacks. A wrong
// resize, crop, kept-frame choice, mask or normalisation moves the result by > 1e-2.

#include "core/pipeline/conditioning.h"
#include "core/pipeline/text_to_vision.h"
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
  return test::load_golden_case(data_dir() + "/conditioned/" + name + ".safetensors");
}

pipeline::ResolvedRequest request_of(const Json& flags, const pipeline::PipelineFolder& folder) {
  pipeline::GenerationRequest request;
  request.prompt = flags["prompt"].get<std::string>();
  if (flags.contains("negative_prompt")) {
    request.negative_prompt = flags["negative_prompt"].get<std::string>();
  }
  request.num_frames = flags["num_frames"].get<int>();
  request.height = flags["height"].get<int>();
  request.width = flags["width"].get<int>();
  request.num_steps = flags["num_inference_steps"].get<int64_t>();
  request.guidance_scale = flags["guidance_scale"].get<double>();
  request.seed = flags["seed"].get<uint64_t>();
  return pipeline::resolve_request(request, folder);
}

std::optional<pipeline::VisionConditioning> encode_conditioning(
    const Case& golden, const pipeline::ResolvedRequest& resolved,
    const pipeline::PipelineFolder& folder, const vae::WanVae& vae) {
  if (!golden.tensors.count("frames")) {
    return std::nullopt;
  }
  const at::Tensor& frames = golden.tensors.at("frames");
  pipeline::ConditioningInput input;
  input.is_image = frames.size(0) == 1;
  if (!input.is_image) {
    input.frame_indexes =
        golden.flags["condition_frame_indexes_vision"].get<std::vector<int64_t>>();
    input.kept = golden.flags["condition_video_keep"] == "last" ? pipeline::KeptFrames::kLast
                                                                : pipeline::KeptFrames::kFirst;
  }
  const pipeline::GenerationRequest& request = resolved.request;
  pipeline::ConditioningClip clip = pipeline::conditioning_clip(
      frames, input, request.height, request.width, request.num_frames, folder.vae_temporal_factor);
  return pipeline::VisionConditioning{vae.encode(clip.pixels_B3THW).to(at::kFloat),
                                      std::move(clip.frame_indexes)};
}

}  // namespace

class ConditionedGenerationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"i2v", "v2v_first", "v2v_last", "t2v_decode"}) {
      QTest::newRow(name) << QString(name);
    }
  }

  void matchesReference() {
    QFETCH(QString, name);
    const Case golden = load_case(name.toStdString());
    const pipeline::PipelineFolder folder =
        pipeline::read_pipeline_folder(data_dir() + "/tiny_checkpoint");
    const pipeline::ResolvedRequest resolved = request_of(golden.flags, folder);
    const model::Transformer transformer =
        model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
    const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);

    const auto conditioning = encode_conditioning(golden, resolved, folder, vae);
    model::ModelSeams single_rank;
    const pipeline::VisionGeneration generation = pipeline::generate_vision_latents(
        folder, transformer, tokenizer, resolved, c10::kCPU, single_rank, {}, conditioning);
    const at::Tensor& expected_latents = golden.tensors.at("latents");
    QVERIFY(generation.latents_BCTHW.sizes() == expected_latents.sizes());
    const double latent_error =
        (generation.latents_BCTHW - expected_latents).norm().item<double>() /
        expected_latents.norm().item<double>();

    const at::Tensor video = (vae.decode(generation.latents_BCTHW) / 2.0 + 0.5).clamp(0, 1);
    const at::Tensor& expected_video = golden.tensors.at("video");
    QVERIFY(video.sizes() == expected_video.sizes());
    const double video_error = (video - expected_video).abs().max().item<double>();
    qInfo("latents relative error %g, video max abs error %g", latent_error, video_error);
    QVERIFY(latent_error <= 1e-5);
    QVERIFY(video_error <= 1e-4);
  }
};

QTEST_APPLESS_MAIN(ConditionedGenerationTest)
#include "tst_conditioned_generation.moc"
