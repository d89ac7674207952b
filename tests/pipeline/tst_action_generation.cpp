// Policy, forward dynamics and inverse dynamics on the embedded tiny checkpoint (action heads,
// cosmos3-tool make-tiny-checkpoint) against the reference's modular pipeline
// (tools/make_action_golden.py): the same frames and raw actions go in; the canvas, the VAE
// encode, the latent crop, the caption tokens, the clean/noisy split and the joint denoising
// must give the same final latents and predicted actions. The captions are compared with the
// reference's text for awkward inputs (non-ASCII, quotes, odd fps values).
//
// Tolerance: 1e-5 relative (L2) on latents and actions. Both sides run the same libtorch kernels
// in the same order in fp32, so agreement is exact or within float32 rounding; a wrong canvas,
// pad mode, crop, mask, position, zeroed column or noise order moves them by > 1e-2.

#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_caption.h"
#include "core/pipeline/action_generation.h"
#include "core/vae/wan_vae.h"
#include "tests/pipeline/golden_case.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/norm.h>

#include <QtTest/QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

using namespace cosmos3;
using Json = nlohmann::json;

namespace {

std::string data_dir() { return std::string(COSMOS3_TEST_DATA_DIR); }

using Case = test::GoldenCase;

Case load_case(const std::string& name) {
  return test::load_golden_case(data_dir() + "/action/" + name + ".safetensors");
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual - expected).norm().item<double>() / expected.norm().item<double>();
}

pipeline::ActionPlan plan_of(const Case& golden, const pipeline::PipelineFolder& folder,
                             const model::TransformerConfig& config) {
  const Json& flags = golden.flags;
  pipeline::GenerationRequest request;
  request.prompt = flags["prompt"].get<std::string>();
  if (flags.contains("negative_prompt")) {
    request.negative_prompt = flags["negative_prompt"].get<std::string>();
  }
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
  const at::Tensor& frames = golden.tensors.at("frames");
  action.input = frames.size(0) > 1 ? pipeline::ActionInput::kVideo : pipeline::ActionInput::kImage;
  action.has_actions = golden.tensors.count("raw_actions") != 0;
  return pipeline::plan_action(request, action, folder, config, frames.size(1), frames.size(2));
}

}  // namespace

class ActionGenerationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void captionsMatchReference() {
    std::ifstream stream(data_dir() + "/action/captions.json");
    const Json captions = Json::parse(stream);
    QVERIFY(captions.size() >= 5);
    for (const Json& entry : captions) {
      const std::string caption = pipeline::action_caption(
          entry["description"].get<std::string>(), entry["view_point"].get<std::string>(),
          entry["num_frames"].get<int>(), entry["fps"].get<double>(), entry["height"].get<int>(),
          entry["width"].get<int>());
      QCOMPARE(QString::fromStdString(caption),
               QString::fromStdString(entry["caption"].get<std::string>()));
    }
  }

  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"policy", "forward_dynamics", "inverse_dynamics"}) {
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
    const pipeline::ActionPlan plan = plan_of(golden, folder, transformer.config());
    // Every case pads the canvas, so the latents are cropped.
    QVERIFY(plan.canvas.content_height < plan.canvas.height ||
            plan.canvas.content_width < plan.canvas.width);
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
    const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);

    const at::Tensor pixels = pipeline::action_canvas_pixels(
        golden.tensors.at("frames"), plan.canvas, plan.resolved.request.num_frames);
    const at::Tensor canvas_latents =
        vae.encode(pipeline::frames_the_vae_reads(pixels, folder.vae_temporal_factor))
            .to(at::kFloat);
    pipeline::ActionJobInputs inputs;
    inputs.clean_latents_BCTHW =
        pipeline::crop_latents_to_content(canvas_latents, plan.canvas, folder.vae_spatial_factor);
    if (golden.tensors.count("raw_actions")) {
      inputs.raw_actions_TD = golden.tensors.at("raw_actions");
    }
    model::ModelSeams single_rank;
    pipeline::SequentialGuidance sequential(single_rank);
    const pipeline::ActionGeneration generation = pipeline::generate_action(
        folder, transformer, tokenizer, plan, inputs, c10::kCPU, sequential);

    const at::Tensor& expected_latents = golden.tensors.at("latents");
    QVERIFY(generation.latents_BCTHW.sizes() == expected_latents.sizes());
    const double latent_error = relative_error(generation.latents_BCTHW, expected_latents);
    double action_error = 0;
    if (golden.tensors.count("actions")) {
      const at::Tensor& expected_actions = golden.tensors.at("actions");
      QVERIFY(generation.actions_TD.defined());
      QVERIFY(generation.actions_TD.sizes() == expected_actions.sizes());
      action_error = relative_error(generation.actions_TD, expected_actions);
    } else {
      QVERIFY(!generation.actions_TD.defined());
    }
    qInfo("latents relative error %g, actions relative error %g", latent_error, action_error);
    QVERIFY(latent_error <= 1e-5);
    QVERIFY(action_error <= 1e-5);
  }
};

QTEST_APPLESS_MAIN(ActionGenerationTest)
#include "tst_action_generation.moc"
