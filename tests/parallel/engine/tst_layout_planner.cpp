// The layout planner against the engine's own rules: for the tiny, Nano, Super and Edge
// configs at 1, 2, 3, 4, 6 and 8 ranks it lists exactly the layouts plan_head_layout accepts
// (asked here for every factorisation, cfg of any value included: cfg 3 on 3 and 6 ranks), each
// with predictions, and recommends the fastest layout that fits. Step costs follow each job
// kind's passes (one, two, or transfer's up to three dealt round the cfg groups). Per-rank
// weight bytes are checked against a real load of the tiny model's slices.

#include "app/bench_models.h"
#include "app/tiny_checkpoint_configs.h"
#include "core/errors.h"
#include "core/model/transformer_weights.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/engine/layout_planner.h"
#include "parallel/engine/random_rank_weight_source.h"
#include "parallel/engine/rank_weight_bytes.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <set>
#include <tuple>

using namespace cosmos3;
using namespace cosmos3::parallel;

namespace {

model::TransformerConfig config_named(const QString& name) {
  if (name == QLatin1String("tiny")) {
    return model::parse_transformer_config(tool::kTinyTransformerConfig, "tiny config");
  }
  return bench::family_config(name.toStdString());
}

LayoutWorkload workload_720p(const model::TransformerConfig& config) {
  LayoutWorkload workload;
  workload.num_generation_tokens = num_vision_tokens({48, 45, 80}, config);
  return workload;
}

using Triple = std::tuple<int, int, int>;

// Every cfg x tp x cp == num_ranks the engine accepts, found without the planner's candidates.
std::set<Triple> engine_accepted(const model::TransformerConfig& config, int num_ranks) {
  std::set<Triple> accepted;
  for (int cfg = 1; cfg <= num_ranks; ++cfg) {
    for (int tp = 1; tp <= num_ranks; ++tp) {
      for (int cp = 1; cp <= num_ranks; ++cp) {
        if (cfg * tp * cp != num_ranks) continue;
        try {
          plan_head_layout({cfg, tp, cp}, num_ranks, config);
          accepted.insert({cfg, tp, cp});
        } catch (const LayoutError&) {
        }
      }
    }
  }
  return accepted;
}

}  // namespace

class LayoutPlannerTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void lists_exactly_the_engines_layouts_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("num_ranks");
    for (const char* family : {"tiny", "nano", "super", "edge"}) {
      for (const int ranks : {1, 2, 3, 4, 6, 8}) {
        QTest::addRow("%s x%d", family, ranks) << QString::fromLatin1(family) << ranks;
      }
    }
  }

  void lists_exactly_the_engines_layouts() {
    QFETCH(QString, family);
    QFETCH(int, num_ranks);
    LayoutPlanRequest request;
    request.config = config_named(family);
    request.workload = workload_720p(request.config);
    request.num_ranks = num_ranks;
    const std::vector<LayoutOption> options = plan_layouts(request);

    std::set<Triple> listed;
    for (const LayoutOption& option : options) {
      QVERIFY(listed.insert({option.degrees.cfg, option.degrees.tp, option.degrees.cp}).second);
      QVERIFY(option.predicted_memory.weight_bytes > 0);
      QVERIFY(option.predicted_memory.activation_bytes > 0);
      QCOMPARE(option.peak_bytes, option.predicted_memory.total_bytes());
      QVERIFY(option.seconds_per_step > 0);
      QVERIFY(!option.peak_measured && !option.seconds_measured);
    }
    QCOMPARE(listed, engine_accepted(request.config, num_ranks));
    // One rank group per transfer pass wherever three divides the ranks.
    QCOMPARE(listed.count({3, 1, num_ranks / 3}) == 1, num_ranks % 3 == 0);
    QVERIFY(!options.empty());  // tp 1 x cp N always runs
    // Without a memory limit everything fits, and the fastest is recommended.
    QVERIFY(options.front().recommended);
    for (std::size_t index = 1; index < options.size(); ++index) {
      QVERIFY(!options[index].recommended);
      QVERIFY(options[index - 1].seconds_per_step <= options[index].seconds_per_step);
    }
  }

  void recommends_the_fastest_that_fits_with_headroom() {
    LayoutPlanRequest request;
    request.config = config_named(QStringLiteral("nano"));
    request.workload = workload_720p(request.config);
    request.num_ranks = 8;
    const std::vector<LayoutOption> unlimited = plan_layouts(request);
    // A budget between the smallest and the largest peak: some layouts fit, some do not.
    int64_t smallest = unlimited.front().peak_bytes;
    int64_t largest = smallest;
    for (const LayoutOption& option : unlimited) {
      smallest = std::min(smallest, option.peak_bytes);
      largest = std::max(largest, option.peak_bytes);
    }
    QVERIFY(smallest < largest);
    request.memory_per_rank_bytes = static_cast<int64_t>(static_cast<double>(smallest + largest) /
                                                         2 / (1 - request.headroom_fraction));
    const std::vector<LayoutOption> options = plan_layouts(request);
    const double usable =
        static_cast<double>(*request.memory_per_rank_bytes) * (1 - request.headroom_fraction);
    int num_recommended = 0;
    int num_refused = 0;
    for (const LayoutOption& option : options) {
      QCOMPARE(option.fits, static_cast<double>(option.peak_bytes) <= usable);
      QCOMPARE(option.reason.empty(), option.fits);
      if (!option.fits) {
        ++num_refused;
        QVERIFY(QString::fromStdString(option.reason).contains(QLatin1String("GiB")));
      }
      if (option.recommended) {
        ++num_recommended;
        QVERIFY(option.fits);
        for (const LayoutOption& other : options) {
          if (other.fits) QVERIFY(option.seconds_per_step <= other.seconds_per_step);
        }
      }
    }
    QCOMPARE(num_recommended, 1);
    QVERIFY(num_refused > 0);
    // A budget nothing fits: none recommended, every one says why.
    request.memory_per_rank_bytes = 1;
    for (const LayoutOption& option : plan_layouts(request)) {
      QVERIFY(!option.fits && !option.recommended && !option.reason.empty());
    }
  }

  void measured_values_replace_predictions() {
    LayoutPlanRequest request;
    request.config = config_named(QStringLiteral("nano"));
    request.workload = workload_720p(request.config);
    request.num_ranks = 2;
    request.device_name = "NVIDIA H200";
    const std::vector<LayoutOption> predicted = plan_layouts(request);
    const ParallelDegrees slowest = predicted.back().degrees;
    LayoutMeasurements measurements;
    // Measured far faster than any prediction: it must move to the front.
    measurements.record(
        LayoutMeasurements::key(request.config, slowest, request.workload, request.device_name),
        {predicted.front().seconds_per_step / 10, int64_t{12345}});
    QTemporaryDir dir;
    const std::filesystem::path file =
        dir.filePath(QStringLiteral("m/measured.json")).toStdString();
    measurements.save(file);
    const LayoutMeasurements loaded = LayoutMeasurements::load(file);
    QCOMPARE(loaded.size(), std::size_t{1});
    request.measurements = &loaded;
    const std::vector<LayoutOption> options = plan_layouts(request);
    QCOMPARE(options.front().degrees.describe(), slowest.describe());
    QVERIFY(options.front().seconds_measured && options.front().peak_measured);
    QCOMPARE(options.front().peak_bytes, int64_t{12345});
    QVERIFY(options.front().recommended);
    // Another device's measurement does not apply.
    request.device_name = "NVIDIA H100";
    for (const LayoutOption& option : plan_layouts(request)) {
      QVERIFY(!option.seconds_measured && !option.peak_measured);
    }
  }

  void step_cost_follows_the_job_kinds_passes() {
    const model::TransformerConfig config = config_named(QStringLiteral("nano"));
    const LayoutWorkload vision = workload_720p(config);
    LayoutWorkload unguided = vision;
    unguided.guided = false;
    LayoutWorkload transfer = vision;  // one hint, control guidance and guidance on
    transfer.num_control_hints = 1;
    transfer.control_guided = true;

    // The runner's order: cond with controls (the control item before the target), cond
    // without, uncond with.
    const std::vector<LayoutPass> passes = workload_passes(transfer);
    QCOMPARE(passes.size(), std::size_t{3});
    const int64_t target = vision.num_generation_tokens;
    QCOMPARE(passes[0].num_generation_tokens, 2 * target);
    QCOMPARE(passes[1].num_generation_tokens, target);
    QCOMPARE(passes[2].num_generation_tokens, 2 * target);
    QCOMPARE(passes[2].num_text_tokens, transfer.num_uncond_text_tokens);
    QCOMPARE(workload_passes(vision).size(), std::size_t{2});
    QCOMPARE(workload_passes(unguided).size(), std::size_t{1});

    const auto cost = [&](const LayoutWorkload& workload, ParallelDegrees degrees) {
      const HeadLayout heads = plan_head_layout(degrees, degrees.num_ranks(), config);
      return predict_step_cost(config, degrees, heads, workload, {});
    };
    // One rank, one forward of a pass.
    const auto forward_flops = [&](const LayoutPass& pass) {
      LayoutWorkload single = unguided;
      single.num_generation_tokens = pass.num_generation_tokens;
      single.num_text_tokens = pass.num_text_tokens;
      return cost(single, {1, 1, 1}).num_flops;
    };
    const double with_controls = forward_flops(passes[0]);
    const double without_controls = forward_flops(passes[1]);
    const double uncond = forward_flops(passes[2]);
    QVERIFY(without_controls < uncond && uncond < with_controls);
    // cfg 1 runs every pass; cfg 2 deals passes 0 and 2 to group 0, the slowest; cfg 3 gives
    // each pass a group, the step costs the cond with controls.
    QVERIFY(qFuzzyCompare(cost(transfer, {1, 1, 1}).num_flops,
                          with_controls + without_controls + uncond));
    QVERIFY(qFuzzyCompare(cost(transfer, {2, 1, 1}).num_flops, with_controls + uncond));
    QVERIFY(qFuzzyCompare(cost(transfer, {3, 1, 1}).num_flops, with_controls));
    QVERIFY(cost(transfer, {3, 1, 1}).seconds < cost(transfer, {2, 1, 1}).seconds);
    // A guided vision job on cfg 3: the third group has no pass of its own, so the step is no
    // shorter than on cfg 2 (and trades one more row).
    QVERIFY(qFuzzyCompare(cost(vision, {3, 1, 1}).num_flops, cost(vision, {2, 1, 1}).num_flops));
    QVERIFY(cost(vision, {3, 1, 1}).num_bus_bytes > cost(vision, {2, 1, 1}).num_bus_bytes);
    // Guidance off: one pass, nothing to trade, cfg buys nothing.
    const StepCost alone = cost(unguided, {1, 1, 1});
    const StepCost on_cfg2 = cost(unguided, {2, 1, 1});
    QVERIFY(qFuzzyCompare(on_cfg2.num_flops, alone.num_flops));
    QCOMPARE(on_cfg2.num_collectives, alone.num_collectives);

    // The passes with controls carry twice the stream: a larger activation peak.
    QVERIFY(predict_rank_memory(config, {1, 1, 1}, transfer).activation_bytes >
            predict_rank_memory(config, {1, 1, 1}, vision).activation_bytes);
    // Measurements of one job kind do not stand in for another's.
    const std::string vision_key = LayoutMeasurements::key(config, {3, 1, 1}, vision, "gpu");
    const std::string transfer_key = LayoutMeasurements::key(config, {3, 1, 1}, transfer, "gpu");
    QVERIFY(vision_key != transfer_key);
    QVERIFY(
        QString::fromStdString(transfer_key).endsWith(QLatin1String("transfer 1 hint, 3 passes")));
    QVERIFY(QString::fromStdString(vision_key).endsWith(QLatin1String("| gpu")));
  }

  void weight_bytes_match_a_real_load_of_each_slice() {
    const model::TransformerConfig config = config_named(QStringLiteral("tiny"));
    for (const int64_t tp : valid_tensor_parallel_degrees(config)) {
      RandomRankWeightSource source(config, /*tp_rank=*/0, tp, c10::Device(c10::kCPU), at::kFloat,
                                    0);
      model::load_transformer_weights(config, source, at::kFloat, c10::Device(c10::kCPU));
      QCOMPARE(rank_weight_bytes(config, tp, at::kFloat), source.num_bytes_made());
    }
    // bf16 halves it; tensor parallelism shrinks it.
    const model::TransformerConfig nano = config_named(QStringLiteral("nano"));
    QCOMPARE(rank_weight_bytes(nano, 1, at::kFloat), 2 * rank_weight_bytes(nano, 1, at::kBFloat16));
    QVERIFY(rank_weight_bytes(nano, 2, at::kBFloat16) < rank_weight_bytes(nano, 1, at::kBFloat16));
  }

  // FP8 jobs add an e4m3 copy (one byte a weight, one fp32 scale a row) of every generation-tower
  // GEMM: q, k, v and the output projection, gate, up and down. Counted here from the config's
  // widths alone, and added to the memory model's weights. (On an H200 the FP8 forward's peak
  // was 6.47 GiB above bf16's, benchmarks/results/transformer_forward_h200.md; this gives 6.47.)
  void fp8_weight_copies_count_every_generation_gemm() {
    const model::TransformerConfig nano = config_named(QStringLiteral("nano"));
    const int64_t hidden = nano.hidden_size, inner = nano.intermediate_size;
    const int64_t q = nano.query_width(), kv = nano.key_value_width();
    const int64_t weights_per_layer = hidden * (q + 2 * kv) + q * hidden + 3 * inner * hidden;
    const int64_t rows_per_layer = q + 2 * kv + hidden + 2 * inner + hidden;
    QCOMPARE(rank_fp8_weight_bytes(nano, 1),
             nano.num_hidden_layers * (weights_per_layer + 4 * rows_per_layer));
    QVERIFY(rank_fp8_weight_bytes(nano, 2) < rank_fp8_weight_bytes(nano, 1));

    LayoutWorkload bf16 = workload_720p(nano);
    LayoutWorkload fp8 = bf16;
    fp8.fp8 = true;
    for (const ParallelDegrees degrees : {ParallelDegrees{1, 1, 1}, ParallelDegrees{1, 2, 2}}) {
      const RankMemory exact = predict_rank_memory(nano, degrees, bf16);
      const RankMemory with_copies = predict_rank_memory(nano, degrees, fp8);
      QCOMPARE(with_copies.weight_bytes - exact.weight_bytes,
               rank_fp8_weight_bytes(nano, degrees.tp));
      QCOMPARE(with_copies.activation_bytes, exact.activation_bytes);
    }
  }

  void calibration_file_overrides_coefficients() {
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath(QStringLiteral("c.json")).toStdString();
    std::ofstream(file) << R"({"local_mlp_copies": 1.5})";
    const MemoryCoefficients loaded = MemoryCoefficients::load(file);
    QCOMPARE(loaded.local_mlp_copies, 1.5);
    QCOMPARE(loaded.full_sequence_copies, MemoryCoefficients{}.full_sequence_copies);
    std::ofstream(file, std::ios::trunc) << R"({"local_mlp_copies": -1})";
    QVERIFY_THROWS_EXCEPTION(ConfigError, MemoryCoefficients::load(file));
    std::ofstream(file, std::ios::trunc) << R"({"local_mlp_copies": "many"})";
    QVERIFY_THROWS_EXCEPTION(ConfigError, MemoryCoefficients::load(file));
  }
};

QTEST_GUILESS_MAIN(LayoutPlannerTest)
#include "tst_layout_planner.moc"
