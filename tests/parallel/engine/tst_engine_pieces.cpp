// The parallel engine's single-process pieces: sequence split arithmetic, ring attention's
// log-sum-exp merge against whole attention, tensor-parallel slices against the whole weights,
// layout validation before loading, and the text K/V cache on a one-rank mesh.
//
// Tolerances: the merge re-associates softmax sums in fp32 (a few ulps per merge), bounded at
// 1e-5 relative; weight slices are copies of stored bytes, compared exactly; a cached forward
// runs the same ops on the same values as an uncached one, compared exactly.

#include "core/model/transformer.h"
#include "core/safetensors/checkpoint.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/engine/parallel_seams.h"
#include "parallel/engine/partial_attention.h"
#include "parallel/engine/rank_transformer.h"
#include "parallel/engine/sequence_split.h"
#include "parallel/engine/tensor_parallel_weight_source.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/norm.h>
#include <ATen/ops/randn.h>

#include <QtTest/QtTest>

using namespace cosmos3;
using namespace cosmos3::parallel;

namespace {

std::string golden_dir(const std::string& family) {
  return std::string(COSMOS3_TEST_DATA_DIR) + "/transformer/" + family;
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual - expected).norm().item<double>() / expected.norm().item<double>();
}

model::TransformerConfig config_of(const std::string& family) {
  return model::load_transformer_config(model::transformer_folder(golden_dir(family)) /
                                        "config.json");
}

QString layout_error(const std::string& family, ParallelDegrees degrees) {
  try {
    plan_model_layout(golden_dir(family), degrees, degrees.num_ranks());
  } catch (const LayoutError& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

}  // namespace

class EnginePiecesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void splitsUnevenLengthsContiguously() {
    const SequenceSplit split = split_sequence(50, 3);
    QCOMPARE(split.lengths, (std::vector<int64_t>{17, 17, 16}));
    QCOMPARE(split.offsets, (std::vector<int64_t>{0, 17, 34}));
    QCOMPARE(split.total(), int64_t{50});
    const SequenceSplit blocks = merge_groups(split_sequence(41, 4), 2);
    QCOMPARE(blocks.lengths, (std::vector<int64_t>{21, 20}));
    QCOMPARE(blocks.offsets, (std::vector<int64_t>{0, 21}));
    QVERIFY_THROWS_EXCEPTION(LayoutError, split_sequence(2, 3));
  }

  // Ring attention's building block: attention over key blocks merged by log-sum-exp equals
  // attention over all keys, with GQA compact (3 query heads per KV head).
  void mergedBlocksEqualWholeAttention() {
    const at::Tensor q = at::randn({11, 6, 16});
    const at::Tensor k = at::randn({23, 2, 16});
    const at::Tensor v = at::randn({23, 2, 16});
    const at::Tensor whole = model::grouped_attention(q, k, v, /*is_causal=*/false);
    PartialAttention merged;
    for (const auto& [start, end] :
         std::vector<std::pair<int64_t, int64_t>>{{0, 5}, {5, 17}, {17, 23}}) {
      merge_partial(merged, attend_block(q, k.slice(0, start, end), v.slice(0, start, end)));
    }
    const double error = relative_error(merged.out_SHD, whole);
    qInfo("merged vs whole attention: relative error %g", error);
    QVERIFY(error <= 1e-5);
    // A wrong merge (plain average) is far off: the test can fail.
    const at::Tensor averaged = (attend_block(q, k.slice(0, 0, 5), v.slice(0, 0, 5)).out_SHD +
                                 attend_block(q, k.slice(0, 5), v.slice(0, 5)).out_SHD) /
                                2;
    QVERIFY(relative_error(averaged, whole) > 1e-2);
  }

  void tensorParallelSlicesConcatenateToTheWholeWeights() {
    for (const char* family : {"nano", "super", "edge"}) {
      const model::TransformerConfig config = config_of(family);
      const safetensors::Checkpoint checkpoint(model::transformer_folder(golden_dir(family)));
      const std::vector<int64_t> tp_degrees =
          std::string(family) == "edge" ? std::vector<int64_t>{3, 6} : std::vector<int64_t>{2, 4};
      for (const int64_t tp : tp_degrees) {
        std::vector<at::Tensor> q_slices, k_slices, up_slices, down_slices;
        for (int64_t rank = 0; rank < tp; ++rank) {
          TensorParallelWeightSource source(checkpoint, config, rank, tp);
          const int64_t hidden = config.hidden_size;
          q_slices.push_back(source.load("layers.0.self_attn.add_q_proj.weight",
                                         {config.query_width(), hidden},
                                         model::ShardRole::kColumn));
          k_slices.push_back(source.load("layers.1.self_attn.to_k.weight",
                                         {config.key_value_width(), hidden},
                                         model::ShardRole::kColumn));
          up_slices.push_back(source.load("layers.0.mlp_moe_gen.up_proj.weight",
                                          {config.intermediate_size, hidden},
                                          model::ShardRole::kColumn));
          down_slices.push_back(source.load("layers.1.mlp.down_proj.weight",
                                            {hidden, config.intermediate_size},
                                            model::ShardRole::kRow));
        }
        QVERIFY(at::equal(at::cat(q_slices, 0),
                          checkpoint.load("layers.0.self_attn.add_q_proj.weight")));
        QVERIFY(at::equal(at::cat(up_slices, 0),
                          checkpoint.load("layers.0.mlp_moe_gen.up_proj.weight")));
        QVERIFY(
            at::equal(at::cat(down_slices, 1), checkpoint.load("layers.1.mlp.down_proj.weight")));
        const at::Tensor k_whole = checkpoint.load("layers.1.self_attn.to_k.weight");
        const int64_t num_kv = config.num_key_value_heads;
        for (int64_t rank = 0; rank < tp; ++rank) {
          // KV heads split when tp <= Hkv, else the head the rank's query heads group with.
          const int64_t head = first_local_key_value_head(rank, tp, num_kv);
          const int64_t num_heads = std::max<int64_t>(1, num_kv / tp);
          QVERIFY(at::equal(k_slices[rank], k_whole.slice(0, head * config.head_dim,
                                                          (head + num_heads) * config.head_dim)));
        }
      }
    }
  }

  void invalidLayoutsFailBeforeLoadingAndNameTheValidChoices() {
    // nano: 4 query / 2 KV heads. tp 3 divides neither.
    const QString tp3 = layout_error("nano", ParallelDegrees{1, 3, 1});
    qInfo("%s", qPrintable(tp3));
    QVERIFY(tp3.contains("tp 3"));
    QVERIFY(tp3.contains("4 query heads and 2 key/value heads"));
    QVERIFY(tp3.contains("Valid tp degrees: 1, 2, 4"));
    // edge: 6 query / 3 KV heads; tp 2 divides the query heads but neither divides nor is a
    // multiple of the KV heads.
    const QString edge_tp2 = layout_error("edge", ParallelDegrees{1, 2, 1});
    QVERIFY(edge_tp2.contains("Valid tp degrees: 1, 3, 6"));
    const QString cfg4 = layout_error("nano", ParallelDegrees{4, 1, 1});
    QVERIFY(cfg4.contains("cfg must be 1, 2 or 3"));
    QVERIFY(cfg4.contains("3 only pays for transfer jobs with control guidance and guidance"));
    // One rank group per transfer pass.
    QCOMPARE(plan_model_layout(golden_dir("nano"), ParallelDegrees{3, 1, 2}, 6).ulysses,
             int64_t{2});
    try {
      plan_model_layout(golden_dir("nano"), ParallelDegrees{2, 2, 1}, 2);
      QFAIL("a layout of 4 ranks on 2 must fail");
    } catch (const LayoutError& error) {
      QVERIFY(QString(error.what()).contains("needs 4 ranks but the launch has 2"));
    }
    // Any cp degree runs: ring attention takes what the heads do not divide.
    const HeadLayout cp3 = plan_model_layout(golden_dir("nano"), ParallelDegrees{1, 1, 3}, 3);
    QCOMPARE(cp3.ulysses, int64_t{1});
    QCOMPARE(cp3.ring, int64_t{3});
    const HeadLayout cp4 = plan_model_layout(golden_dir("nano"), ParallelDegrees{1, 1, 4}, 4);
    QCOMPARE(cp4.ulysses, int64_t{2});
    QCOMPARE(cp4.ring, int64_t{2});
    const HeadLayout edge_cp3 = plan_model_layout(golden_dir("edge"), ParallelDegrees{1, 1, 3}, 3);
    QCOMPARE(edge_cp3.ulysses, int64_t{3});
  }

  // The text stream's K/V computed in the first forward and reused by the second, which then
  // skips the text stream; a new prompt invalidates the cache.
  void cachedTextStreamGivesTheSameForward() {
    const model::Transformer transformer =
        model::Transformer::load(golden_dir("edge"), at::kFloat, c10::kCPU);
    const std::string path = golden_dir("edge") + "/video.inputs.safetensors";
    model::TransformerInputs inputs =
        model::inputs_from_named(model::load_named_tensors(path), path);
    const model::TransformerOutputs expected = transformer.forward(inputs);
    const RankMesh mesh = single_process_mesh();
    ParallelSeams seams(mesh);
    for (int pass = 0; pass < 2; ++pass) {
      const model::TransformerOutputs outputs = transformer.forward(inputs, seams);
      QVERIFY(at::equal(outputs.sample[0], expected.sample[0]));
      QVERIFY(at::equal(outputs.action[0], expected.action[0]));
    }
    QCOMPARE(seams.num_cached_forwards(), int64_t{1});
    // Another prompt of the same length: the cache must not be reused.
    inputs.input_ids = (inputs.input_ids + 1) % transformer.config().vocab_size;
    const model::TransformerOutputs other = transformer.forward(inputs, seams);
    QCOMPARE(seams.num_cached_forwards(), int64_t{1});
    QVERIFY(at::equal(other.sample[0], transformer.forward(inputs).sample[0]));
    QVERIFY(!at::equal(other.sample[0], expected.sample[0]));
  }
};

QTEST_APPLESS_MAIN(EnginePiecesTest)
#include "tst_engine_pieces.moc"
