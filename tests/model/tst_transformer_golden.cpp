// The transformer against diffusers' Cosmos3OmniTransformer on tiny random checkpoints of the
// three families (tools/make_transformer_golden.py), fp32 and bf16.
//
// Tolerances: we link the same libtorch as the reference and follow its op order and casts,
// so results are normally bit-identical. The bounds leave room only for reduction-order
// differences (thread counts, BLAS paths): fp32 max |diff| <= 1e-5 * (1 + max |ref|), about
// 100 fp32 ulps of the output scale; bf16 relative error <= 2e-2, a few bf16 epsilons (7.8e-3)
// after rounding through two layers.

#include "core/errors.h"
#include "core/model/transformer.h"
#include "core/safetensors/checkpoint.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/norm.h>

#include <QtTest/QtTest>

#include <functional>
#include <string>

using namespace cosmos3::model;

namespace {

std::string golden_dir(const std::string& family) {
  return std::string(COSMOS3_TEST_DATA_DIR) + "/transformer/" + family;
}

double max_abs(const at::Tensor& tensor) { return at::abs(tensor).max().item<double>(); }

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual.to(at::kFloat) - expected).norm().item<double>() / expected.norm().item<double>();
}

TransformerOutputs run(const Transformer& transformer, const std::string& family,
                       const std::string& case_name) {
  const std::string inputs_path = golden_dir(family) + "/" + case_name + ".inputs.safetensors";
  return transformer.forward(inputs_from_named(load_named_tensors(inputs_path), inputs_path));
}

// Compares every prediction; returns the largest relative error seen.
double compare(const TransformerOutputs& outputs, const std::string& expected_path,
               bool exact_dtype) {
  const auto expected = load_named_tensors(expected_path);
  const auto named = outputs_to_named(outputs);
  if (named.size() != expected.size()) {
    qWarning("got %zu predictions, reference has %zu", named.size(), expected.size());
    return INFINITY;
  }
  double worst = 0;
  for (const auto& [name, actual] : named) {
    const at::Tensor& reference = expected.at(name);
    if (actual.sizes() != reference.sizes() || max_abs(reference) == 0) {
      qWarning("%s: shape differs or reference is all zero", name.c_str());
      return INFINITY;
    }
    const double error = relative_error(actual, reference);
    const double abs_error = max_abs(actual.to(at::kFloat) - reference);
    if (exact_dtype && abs_error > 1e-5 * (1 + max_abs(reference))) {
      qWarning("%s: max abs error %g", name.c_str(), abs_error);
      return INFINITY;
    }
    worst = std::max(worst, error);
  }
  return worst;
}

}  // namespace

class TransformerGoldenTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matchesReference_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("case_name");
    QTest::addColumn<bool>("bf16");
    for (const char* family : {"nano", "super", "edge"}) {
      for (const char* case_name : {"video", "image"}) {
        for (const bool bf16 : {false, true}) {
          QTest::addRow("%s/%s/%s", family, case_name, bf16 ? "bf16" : "fp32")
              << family << case_name << bf16;
        }
      }
    }
  }

  void matchesReference() {
    QFETCH(QString, family);
    QFETCH(QString, case_name);
    QFETCH(bool, bf16);
    const Transformer transformer =
        Transformer::load(golden_dir(family.toStdString()), bf16 ? at::kBFloat16 : at::kFloat,
                          c10::Device(c10::kCPU));
    const TransformerOutputs outputs =
        run(transformer, family.toStdString(), case_name.toStdString());
    const std::string expected = golden_dir(family.toStdString()) + "/" + case_name.toStdString() +
                                 (bf16 ? ".bf16" : ".fp32") + ".safetensors";
    const double error = compare(outputs, expected, !bf16);
    qInfo("relative error %g", error);
    QVERIFY(error <= (bf16 ? 2e-2 : 1e-5));
  }

  // The seed PR's fault: dropping the text-key norm the Edge generation pathway applies.
  // The golden comparison must see it, or it could not catch that fault in parallel code.
  void edgeGoldenDetectsDroppedTextKeyNormForGeneration() {
    const auto folder = transformer_folder(golden_dir("edge"));
    const TransformerConfig config = load_transformer_config(folder / "config.json");
    QVERIFY(config.has_und_k_norm_for_gen());
    const cosmos3::safetensors::Checkpoint checkpoint(folder);
    CheckpointWeightSource source(checkpoint);
    TransformerWeights weights = load_transformer_weights(config, source, at::kFloat, c10::kCPU);
    for (DecoderLayerWeights& layer : weights.layers) {
      layer.self_attn.k_norm_und_for_gen.kind = NormKind::kIdentity;
    }
    const Transformer faulty(config, std::move(weights), at::kFloat);
    const double error = compare(run(faulty, "edge", "video"),
                                 golden_dir("edge") + "/video.fp32.safetensors", false);
    qInfo("without k_norm_und_for_gen: relative error %g", error);
    QVERIFY(error > 1e-3);
  }

  // FP8 GEMMs exist on NVIDIA GPUs only: on the CPU both the preparation and an FP8 forward
  // are refused with a message that names the fix, and the bf16 forward still runs.
  void fp8IsRefusedOnTheCpuWithTheFix() {
    Transformer transformer =
        Transformer::load(golden_dir("nano"), at::kBFloat16, c10::Device(c10::kCPU));
    const auto refusal = [](const std::function<void()>& attempt) -> std::string {
      try {
        attempt();
      } catch (const cosmos3::UserError& error) {
        return error.what();
      }
      return {};
    };
    const std::string prepare_error = refusal([&] { transformer.prepare_fp8(); });
    QVERIFY2(prepare_error.find("--precision bf16") != std::string::npos, prepare_error.c_str());
    const std::string inputs_path = golden_dir("nano") + "/video.inputs.safetensors";
    const TransformerInputs inputs =
        inputs_from_named(load_named_tensors(inputs_path), inputs_path);
    ModelSeams single_rank;
    const std::string forward_error =
        refusal([&] { transformer.forward(inputs, single_rank, Precision::kFp8); });
    QVERIFY2(forward_error.find("CUDA") != std::string::npos, forward_error.c_str());
    QVERIFY(!transformer.forward(inputs, single_rank, Precision::kBf16).sample.empty());
  }
};

QTEST_APPLESS_MAIN(TransformerGoldenTest)
#include "tst_transformer_golden.moc"
