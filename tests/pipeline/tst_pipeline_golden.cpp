// Text-to-image and text-to-video latents against the reference's modular pipeline
// (tools/make_pipeline_golden.py): same token ids, same seed, same scheduler config, so the
// layout, the seeded noise, the transformer, CFG and the samplers (UniPC on the default and the
// native flow schedule, stochastic flow-match Euler on distilled sigmas) must all agree.
//
// Tolerance: relative error <= 1e-5 of the final latents. The reference and we run the same
// libtorch ops in the same order, so agreement is normally exact; the bound leaves room for
// reduction-order differences only, and is far below what any wrong step, mask, noise draw or
// guidance formula gives (those move the result by more than 1e-2).

#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/sampler.h"
#include "core/safetensors/safetensors_file.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/norm.h>
#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

using namespace cosmos3;

namespace {

std::string data_dir() { return std::string(COSMOS3_TEST_DATA_DIR); }

std::vector<int64_t> ids_of(const at::Tensor& tensor) {
  const at::Tensor values = tensor.to(at::kLong).contiguous();
  return {values.const_data_ptr<int64_t>(), values.const_data_ptr<int64_t>() + values.numel()};
}

struct GoldenCase {
  nlohmann::json parameters;
  std::string scheduler_json;
  std::map<std::string, at::Tensor> tensors;
};

GoldenCase load_case(const std::string& path) {
  const safetensors::SafetensorsFile file(path);
  return GoldenCase{nlohmann::json::parse(file.metadata().at("case")),
                    file.metadata().at("scheduler"), model::load_named_tensors(path)};
}

// The schedule the case names: UniPC (default or native flow sigmas) or distilled Euler.
std::unique_ptr<pipeline::Sampler> make_sampler(const nlohmann::json& parameters,
                                                const scheduler::SchedulerConfig& config,
                                                const at::Generator& generator) {
  const nlohmann::json& schedule = parameters["schedule"];
  if (schedule.is_array()) {
    return std::make_unique<pipeline::DistilledEulerSampler>(
        scheduler::FlowMatchEulerScheduler(config), schedule.get<std::vector<double>>(), generator);
  }
  return std::make_unique<pipeline::UniPCSampler>(scheduler::UniPCMultistepScheduler(config),
                                                  parameters["steps"].get<int64_t>(), std::nullopt,
                                                  schedule.get<std::string>() == "native");
}

pipeline::DenoiseResult run_case(const GoldenCase& golden,
                                 const pipeline::DenoiseCallbacks& callbacks = {}) {
  const auto& parameters = golden.parameters;
  const model::Transformer transformer = model::Transformer::load(
      data_dir() + "/transformer/" + parameters["family"].get<std::string>(), at::kFloat,
      c10::kCPU);
  const scheduler::SchedulerConfig scheduler_config =
      scheduler::parse_scheduler_config(golden.scheduler_json, "golden scheduler config");

  const int64_t frames = parameters["num_frames"].get<int64_t>();
  const std::vector<int64_t> latent_shape{
      1, transformer.config().latent_channel, (frames - 1) / 4 + 1,
      parameters["height"].get<int64_t>() / 16, parameters["width"].get<int64_t>() / 16};
  const double fps = parameters["fps"].get<double>();
  const double guidance = parameters["guidance"].get<double>();
  const pipeline::BranchLayout cond = pipeline::build_branch(
      ids_of(golden.tensors.at("cond_input_ids")), latent_shape, fps, {}, transformer.config(), 4);
  std::optional<pipeline::BranchLayout> uncond;
  if (guidance != 1.0) {
    uncond = pipeline::build_branch(ids_of(golden.tensors.at("uncond_input_ids")), latent_shape,
                                    fps, {}, transformer.config(), 4);
  }
  at::Generator generator = pipeline::seeded_generator(parameters["seed"].get<uint64_t>());
  const at::Tensor noise = pipeline::initial_noise(latent_shape, generator);
  const at::Tensor no_conditioning = at::zeros({latent_shape[2], 1, 1});
  const std::unique_ptr<pipeline::Sampler> sampler =
      make_sampler(parameters, scheduler_config, generator);
  model::ModelSeams single_rank;
  return pipeline::denoise_vision(transformer, cond, uncond, *sampler, noise, no_conditioning,
                                  guidance, single_rank, callbacks);
}

}  // namespace

class PipelineGoldenTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void latentsMatchReference_data() {
    QTest::addColumn<QString>("path");
    for (const auto& entry : std::filesystem::directory_iterator(data_dir() + "/pipeline")) {
      QTest::addRow("%s", entry.path().stem().c_str())
          << QString::fromStdString(entry.path().string());
    }
  }

  void latentsMatchReference() {
    QFETCH(QString, path);
    const GoldenCase golden = load_case(path.toStdString());
    const pipeline::DenoiseResult result = run_case(golden);
    const at::Tensor& expected = golden.tensors.at("latents");
    QVERIFY(result.latents.sizes() == expected.sizes());
    const double error =
        (result.latents - expected).norm().item<double>() / expected.norm().item<double>();
    qInfo("%d steps, relative error %g", static_cast<int>(result.num_steps_done), error);
    QCOMPARE(result.num_steps_done, golden.parameters["steps"].get<int64_t>());
    QVERIFY(error <= 1e-5);
  }

  void progressIsReportedAndCancelStopsAtAStepBoundary() {
    const GoldenCase golden = load_case(data_dir() + "/pipeline/t2v_odd_latent.safetensors");
    std::vector<int64_t> reported;
    pipeline::DenoiseCallbacks callbacks;
    callbacks.on_step_done = [&](int64_t step, int64_t num_steps) {
      QCOMPARE(num_steps, golden.parameters["steps"].get<int64_t>());
      reported.push_back(step);
    };
    callbacks.cancel_requested = [&] { return reported.size() == 1; };
    const pipeline::DenoiseResult result = run_case(golden, callbacks);
    QVERIFY(result.cancelled);
    QCOMPARE(result.num_steps_done, int64_t{1});
    QCOMPARE(reported, std::vector<int64_t>{1});
  }
};

QTEST_APPLESS_MAIN(PipelineGoldenTest)
#include "tst_pipeline_golden.moc"
