// The FP8 mode's step schedule (bf16 for the first and last 3 steps, NVIDIA's recipe) and its
// refusals where FP8 cannot run: the CPU or an fp32 model, before the denoise loop's first step.

#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/generation_request.h"
#include "core/pipeline/sampler.h"
#include "core/pipeline/step_precision.h"

#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

#include <string>
#include <vector>

using namespace cosmos3;
using model::Precision;

namespace {

// The 0-based steps of `num_steps` that step_precision runs in FP8 when FP8 is asked for.
std::vector<int64_t> fp8_steps(int64_t num_steps) {
  std::vector<int64_t> steps;
  for (int64_t step = 0; step < num_steps; ++step) {
    if (pipeline::step_precision(Precision::kFp8, step, num_steps) == Precision::kFp8) {
      steps.push_back(step);
    }
  }
  return steps;
}

std::string refusal_of(c10::Device device, c10::ScalarType dtype) {
  try {
    pipeline::check_precision_supported(Precision::kFp8, device, dtype);
  } catch (const pipeline::RequestError& error) {
    return error.what();
  }
  return {};
}

}  // namespace

class StepPrecisionTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void runsOfSixStepsOrFewerStayBf16() {
    for (int64_t num_steps = 1; num_steps <= 6; ++num_steps) {
      QVERIFY2(fp8_steps(num_steps).empty(), qPrintable(QString::number(num_steps)));
    }
  }

  void onlyTheMiddleStepsOfLongerRunsAreFp8() {
    QCOMPARE(fp8_steps(7), std::vector<int64_t>({3}));
    QCOMPARE(fp8_steps(8), std::vector<int64_t>({3, 4}));
    std::vector<int64_t> middle_of_35;
    for (int64_t step = 3; step <= 31; ++step) middle_of_35.push_back(step);
    QCOMPARE(fp8_steps(35), middle_of_35);
  }

  void bf16RequestsAreBf16AtEveryStep() {
    for (int64_t step = 0; step < 35; ++step) {
      QCOMPARE(pipeline::step_precision(Precision::kBf16, step, 35), Precision::kBf16);
    }
  }

  void namesAreTheFlagValues() {
    QCOMPARE(pipeline::precision_name(Precision::kBf16), std::string_view("bf16"));
    QCOMPARE(pipeline::precision_name(Precision::kFp8), std::string_view("fp8"));
  }

  void fp8IsRefusedOnTheCpuAndForFp32NamingTheFix() {
    const std::string on_cpu = refusal_of(c10::Device(c10::kCPU), c10::kBFloat16);
    QVERIFY2(on_cpu.find("the device is cpu") != std::string::npos, on_cpu.c_str());
    QVERIFY2(on_cpu.find("use --precision bf16") != std::string::npos, on_cpu.c_str());
    const std::string in_fp32 = refusal_of(c10::Device(c10::kCUDA, 0), c10::kFloat);
    QVERIFY2(in_fp32.find("the model dtype is float32, not bfloat16") != std::string::npos,
             in_fp32.c_str());
    QVERIFY2(in_fp32.find("use --precision bf16") != std::string::npos, in_fp32.c_str());
    QVERIFY(refusal_of(c10::Device(c10::kCUDA, 0), c10::kBFloat16).empty());
    // bf16 runs everywhere.
    QVERIFY(
        pipeline::precision_blocker(Precision::kBf16, c10::Device(c10::kCPU), c10::kFloat).empty());
  }

  // The transformer has no weights: a loop that got as far as a forward would fail differently.
  void theDenoiseLoopRefusesFp8BeforeItsFirstStep() {
    for (const c10::ScalarType dtype : {c10::kFloat, c10::kBFloat16}) {
      const model::Transformer transformer(model::TransformerConfig{}, model::TransformerWeights{},
                                           dtype);
      pipeline::UniPCSampler sampler(
          scheduler::UniPCMultistepScheduler(scheduler::SchedulerConfig{}), 35, std::nullopt,
          false);
      model::ModelSeams single_rank;
      bool started = false;
      pipeline::DenoiseCallbacks callbacks;
      callbacks.on_start = [&](int64_t) { started = true; };
      const at::Tensor latents = at::zeros({1, 16, 2, 4, 4});
      QVERIFY_THROWS_EXCEPTION(
          pipeline::RequestError,
          pipeline::denoise_vision(transformer, pipeline::BranchLayout{}, std::nullopt, sampler,
                                   latents, at::zeros({2, 1, 1}), 1.0, single_rank, callbacks,
                                   Precision::kFp8));
      QVERIFY(!started);
    }
  }
};

QTEST_APPLESS_MAIN(StepPrecisionTest)
#include "tst_step_precision.moc"
