// The UniPC and flow-match Euler schedulers against diffusers, step by step, on the cases of
// tools/make_scheduler_golden.py (flow shifts 1/5/10, 2-35 steps, orders 1-3, bh1/bh2, native
// flow sigmas, distilled fixed sigmas with ODE and SDE steps), and their config validation.
//
// Tolerance: the schedule is computed in float64 with numpy's rounding and stored as float32,
// and every step uses the reference's float32 ops in its order on the same libtorch, so results
// are normally bit-identical. Each compared tensor must satisfy
// max |actual - expected| <= 1e-6 * (1 + max |expected|): about 8 float32 ulps of the value
// scale, room only for reduction-order differences (einsum, the 3x3 solve) that compound over
// 35 steps, while a wrong coefficient, sigma index or history slot shifts samples by >= 1e-3.
// Timesteps are compared exactly, since the step index is looked up by equality. The C++
// scheduler is fed its own previous sample, so drift across steps is part of what is checked.
//
// The reference returns NaN at the last step of bh1 with final_sigmas_type "zero" (it multiplies
// an infinite B(h) by 0); the port reproduces that, so NaN positions must match too.

#include "core/errors.h"
#include "core/model/transformer_io.h"
#include "core/scheduler/flow_match_euler_scheduler.h"
#include "core/scheduler/flow_sigmas.h"
#include "core/scheduler/scheduler_config.h"
#include "core/scheduler/unipc_scheduler.h"
#include "tests/test_support.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/isnan.h>
#include <ATen/ops/max.h>
#include <ATen/ops/where.h>
#include <ATen/ops/zeros_like.h>

#include <QtTest/QtTest>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>

using namespace cosmos3::scheduler;
using cosmos3::ConfigError;
using cosmos3::test::contains_all;
using cosmos3::test::error_message_of;

namespace {

constexpr double kRelativeTolerance = 1e-6;
constexpr int kNumGoldenCases = 72;

using Named = std::map<std::string, at::Tensor>;

std::filesystem::path golden_dir() {
  return std::filesystem::path(COSMOS3_TEST_DATA_DIR) / "scheduler";
}

std::vector<std::string> golden_case_names() {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(golden_dir())) {
    return names;
  }
  for (const auto& entry : std::filesystem::directory_iterator(golden_dir())) {
    if (entry.path().extension() == ".safetensors") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Largest |actual - expected| over positions where the reference is not NaN; infinity when the
// shapes or the NaN positions differ.
double max_abs_difference(const at::Tensor& actual, const at::Tensor& expected) {
  if (actual.sizes() != expected.sizes()) {
    qWarning("shape differs");
    return INFINITY;
  }
  const at::Tensor actual_f64 = actual.to(at::kDouble);
  const at::Tensor expected_f64 = expected.to(at::kDouble);
  const at::Tensor expected_nan = at::isnan(expected_f64);
  if (!at::equal(at::isnan(actual_f64), expected_nan)) {
    qWarning("NaN positions differ");
    return INFINITY;
  }
  const at::Tensor difference =
      at::where(expected_nan, at::zeros_like(expected_f64), at::abs(actual_f64 - expected_f64));
  return difference.numel() == 0 ? 0.0 : difference.max().item<double>();
}

double max_abs_finite(const at::Tensor& tensor) {
  const at::Tensor values = tensor.to(at::kDouble);
  const at::Tensor finite = at::where(at::isnan(values), at::zeros_like(values), at::abs(values));
  return finite.numel() == 0 ? 0.0 : finite.max().item<double>();
}

std::optional<std::vector<double>> input_sigmas(const Named& named) {
  const auto found = named.find("input_sigmas");
  if (found == named.end()) {
    return std::nullopt;
  }
  const at::Tensor values = found->second.to(at::kDouble).contiguous();
  const double* data = values.const_data_ptr<double>();
  return std::vector<double>(data, data + values.numel());
}

std::optional<double> optional_scalar(const Named& named, const std::string& name) {
  const auto found = named.find(name);
  return found == named.end() ? std::nullopt : std::optional<double>(found->second.item<double>());
}

// Steps `step_fn` through the schedule from the golden initial sample, checking each sample.
class GoldenRun {
 public:
  explicit GoldenRun(const Named& named) : named_(named) {}

  double worst() const { return worst_; }

  bool check(const std::string& what, const at::Tensor& actual, const at::Tensor& expected) {
    const double difference = max_abs_difference(actual, expected);
    worst_ = std::max(worst_, difference / (1 + max_abs_finite(expected)));
    if (difference > kRelativeTolerance * (1 + max_abs_finite(expected))) {
      qWarning("%s: max abs difference %g", what.c_str(), difference);
      return false;
    }
    return true;
  }

  using StepFn = std::function<at::Tensor(const at::Tensor&, double, const at::Tensor&)>;

  bool run_steps(const at::Tensor& timesteps, const StepFn& step_fn) {
    at::Tensor sample = named_.at("sample.initial");
    for (int64_t i = 0; i < timesteps.numel(); ++i) {
      const std::string index = std::to_string(i);
      sample = step_fn(named_.at("model_output." + index), timesteps[i].item<double>(), sample);
      if (!check("sample." + index, sample, named_.at("sample." + index))) {
        return false;
      }
    }
    return true;
  }

 private:
  const Named& named_;
  double worst_ = 0;
};

double g_worst_relative_error = 0;

Named load_case(const std::string& case_name) {
  return cosmos3::model::load_named_tensors((golden_dir() / (case_name + ".safetensors")).string());
}

SchedulerConfig load_case_config(const std::string& case_name) {
  return load_scheduler_config(golden_dir() / (case_name + ".scheduler_config.json"));
}

template <typename Scheduler>
void set_case_timesteps(Scheduler& scheduler, const Named& named) {
  scheduler.set_timesteps(named.at("num_inference_steps").template item<int64_t>(),
                          input_sigmas(named), optional_scalar(named, "shift_override"));
}

std::string unipc_json(const std::string& extra_fields) {
  return R"({"_class_name": "UniPCMultistepScheduler", "use_flow_sigmas": true,
             "prediction_type": "flow_prediction")" +
         extra_fields + "}";
}

std::string euler_json(const std::string& extra_fields) {
  return R"({"_class_name": "FlowMatchEulerDiscreteScheduler")" + extra_fields + "}";
}

std::string config_error(const std::string& json_text) {
  return error_message_of<ConfigError>(
      [&] { parse_scheduler_config(json_text, "scheduler/scheduler_config.json"); });
}

}  // namespace

class SchedulerTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void golden_cases_are_present() {
    QCOMPARE(static_cast<int>(golden_case_names().size()), kNumGoldenCases);
  }

  void matches_reference_data() {
    QTest::addColumn<QString>("case_name");
    for (const std::string& name : golden_case_names()) {
      QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
  }

  void matches_reference() {
    QFETCH(QString, case_name);
    const std::string name = case_name.toStdString();
    const Named named = load_case(name);
    const SchedulerConfig config = load_case_config(name);
    GoldenRun run(named);
    if (config.kind == SchedulerKind::kUniPCMultistep) {
      UniPCMultistepScheduler scheduler(config);
      set_case_timesteps(scheduler, named);
      QVERIFY(at::equal(scheduler.timesteps(), named.at("timesteps")));
      QVERIFY(run.check("sigmas", scheduler.sigmas(), named.at("sigmas")));
      QVERIFY(
          run.run_steps(scheduler.timesteps(), [&](const auto& output, double t, const auto& x) {
            return scheduler.step(output, t, x);
          }));
    } else {
      FlowMatchEulerScheduler scheduler(config);
      set_case_timesteps(scheduler, named);
      QVERIFY(at::equal(scheduler.timesteps(), named.at("timesteps")));
      QVERIFY(run.check("sigmas", scheduler.sigmas(), named.at("sigmas")));
      std::optional<at::Generator> generator;
      if (named.count("noise_seed")) {
        generator = at::detail::createCPUGenerator(
            static_cast<uint64_t>(named.at("noise_seed").item<int64_t>()));
      }
      QVERIFY(
          run.run_steps(scheduler.timesteps(), [&](const auto& output, double t, const auto& x) {
            return scheduler.step(output, t, x, generator);
          }));
    }
    g_worst_relative_error = std::max(g_worst_relative_error, run.worst());
  }

  // The pipeline builds the native schedule itself; the helper must give numpy's exact doubles.
  void native_flow_schedule_matches_numpy() {
    for (int64_t num_steps : {2, 4, 35}) {
      const Named named = load_case("unipc_native_shift1_steps" + std::to_string(num_steps));
      QVERIFY(native_flow_schedule_sigmas(num_steps, 1000) == *input_sigmas(named));
    }
  }

  // Sound and action latents step with copies of the vision scheduler; interleaving them must
  // not mix their histories, and reset() must replay the schedule from the start.
  void copies_and_reset_keep_histories_apart() {
    const std::string name = "unipc_shift5_steps35_order3_bh2";
    const Named named = load_case(name);
    UniPCMultistepScheduler vision(load_case_config(name));
    set_case_timesteps(vision, named);
    UniPCMultistepScheduler sound = vision;
    at::Tensor vision_sample = named.at("sample.initial");
    at::Tensor sound_sample = vision_sample;
    GoldenRun run(named);
    for (int64_t i = 0; i < vision.num_inference_steps(); ++i) {
      const double t = vision.timesteps()[i].item<double>();
      const at::Tensor& output = named.at("model_output." + std::to_string(i));
      vision_sample = vision.step(output, t, vision_sample);
      sound_sample = sound.step(output * 2, t, sound_sample);  // a different history
      QVERIFY(run.check("vision step " + std::to_string(i), vision_sample,
                        named.at("sample." + std::to_string(i))));
    }
    vision.reset();
    QVERIFY(run.run_steps(vision.timesteps(), [&](const auto& output, double t, const auto& x) {
      return vision.step(output, t, x);
    }));
  }

  void cleanupTestCase() {
    qInfo("largest error relative to (1 + max |reference|) over all cases: %g",
          g_worst_relative_error);
  }

  void defaults_follow_the_reference() {
    const SchedulerConfig unipc = parse_scheduler_config(unipc_json(""), "test");
    QCOMPARE(unipc.kind, SchedulerKind::kUniPCMultistep);
    QCOMPARE(unipc.num_train_timesteps, int64_t{1000});
    QCOMPARE(unipc.solver_order, int64_t{2});
    QCOMPARE(unipc.solver_type, SolverType::kBh2);
    QVERIFY(unipc.lower_order_final);
    QCOMPARE(unipc.flow_shift, 1.0);
    QCOMPARE(unipc.final_sigmas_type, FinalSigmasType::kZero);
    const SchedulerConfig euler = parse_scheduler_config(euler_json(""), "test");
    QCOMPARE(euler.kind, SchedulerKind::kFlowMatchEulerDiscrete);
    QCOMPARE(euler.shift, 1.0);
    QVERIFY(!euler.stochastic_sampling);
  }

  void unsupported_options_name_the_field_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QStringList>("expected_parts");
    const auto row = [](const char* label, const std::string& json, QStringList parts) {
      QTest::newRow(label) << QString::fromStdString(json) << parts;
    };
    row("unknown class", R"({"_class_name": "DDIMScheduler"})",
        {"_class_name", "DDIMScheduler", "UniPCMultistepScheduler",
         "FlowMatchEulerDiscreteScheduler"});
    row("missing class", "{}", {"_class_name", "UniPCMultistepScheduler"});
    row("epsilon prediction",
        R"({"_class_name": "UniPCMultistepScheduler", "use_flow_sigmas": true})",
        {"prediction_type", "'epsilon'", "flow_prediction"});
    row("unknown prediction", unipc_json(R"(, "prediction_type": "noise")"),
        {"prediction_type", "'noise'", "'v_prediction'", "'flow_prediction'"});
    row("discrete betas", unipc_json(R"(, "use_flow_sigmas": false)"),
        {"use_flow_sigmas", "use_flow_sigmas true"});
    row("karras", unipc_json(R"(, "use_karras_sigmas": true)"), {"use_karras_sigmas", "false"});
    row("exponential", euler_json(R"(, "use_exponential_sigmas": true)"),
        {"use_exponential_sigmas", "false"});
    row("beta sigmas", euler_json(R"(, "use_beta_sigmas": true)"), {"use_beta_sigmas", "false"});
    row("dynamic shifting", unipc_json(R"(, "use_dynamic_shifting": true)"),
        {"use_dynamic_shifting", "mu"});
    row("thresholding", unipc_json(R"(, "thresholding": true)"), {"thresholding", "false"});
    row("predict epsilon", unipc_json(R"(, "predict_x0": false)"), {"predict_x0", "true"});
    row("solver type", unipc_json(R"(, "solver_type": "dpm")"),
        {"solver_type", "'dpm'", "'bh1'", "'bh2'"});
    row("solver order", unipc_json(R"(, "solver_order": 0)"), {"solver_order", "positive"});
    row("solver_p", unipc_json(R"(, "solver_p": {"a": 1})"), {"solver_p"});
    row("final sigmas", unipc_json(R"(, "final_sigmas_type": "one")"),
        {"final_sigmas_type", "'zero'", "'sigma_min'"});
    row("spacing", unipc_json(R"(, "timestep_spacing": "uniform")"),
        {"timestep_spacing", "'linspace'", "'trailing'"});
    row("beta schedule", unipc_json(R"(, "beta_schedule": "cosine")"),
        {"beta_schedule", "'squaredcos_cap_v2'"});
    row("shift terminal", euler_json(R"(, "shift_terminal": 0.1)"), {"shift_terminal", "null"});
    row("invert sigmas", euler_json(R"(, "invert_sigmas": true)"), {"invert_sigmas", "false"});
    row("time shift type", euler_json(R"(, "time_shift_type": "cubic")"),
        {"time_shift_type", "'exponential'", "'linear'"});
    row("wrong type", unipc_json(R"(, "solver_order": "two")"), {"solver_order", "wrong type"});
    row("train timesteps", euler_json(R"(, "num_train_timesteps": 0)"),
        {"num_train_timesteps", "positive"});
    row("not an object", "[1, 2]", {"not a JSON object"});
  }

  void unsupported_options_name_the_field() {
    QFETCH(QString, json);
    QFETCH(QStringList, expected_parts);
    const std::string message = config_error(json.toStdString());
    QVERIFY(message.find("scheduler/scheduler_config.json") != std::string::npos);
    for (const QString& part : expected_parts) {
      QVERIFY(contains_all(message, {part.toStdString()}));
    }
  }

  void accepts_reference_aliases_and_unused_fields() {
    const SchedulerConfig config = parse_scheduler_config(
        unipc_json(R"(, "solver_type": "heun", "shift_terminal": null, "beta_schedule": "x",
                      "trained_betas": [0.1], "_diffusers_version": "0.36.0")"),
        "test");
    QCOMPARE(config.solver_type, SolverType::kBh2);
  }

  void wrong_scheduler_class_is_a_config_error() {
    const SchedulerConfig euler = parse_scheduler_config(euler_json(""), "euler.json");
    QVERIFY(contains_all(
        error_message_of<ConfigError>([&] { UniPCMultistepScheduler scheduler(euler); }),
        {"euler.json", "UniPCMultistepScheduler"}));
    const SchedulerConfig unipc = parse_scheduler_config(unipc_json(""), "unipc.json");
    QVERIFY(contains_all(
        error_message_of<ConfigError>([&] { FlowMatchEulerScheduler scheduler(unipc); }),
        {"unipc.json", "FlowMatchEulerDiscreteScheduler"}));
  }

  void missing_config_file_is_a_config_error() {
    QVERIFY(contains_all(error_message_of<ConfigError>(
                             [] { load_scheduler_config("/nonexistent/scheduler_config.json"); }),
                         {"/nonexistent/scheduler_config.json", "cannot open"}));
  }
};

QTEST_GUILESS_MAIN(SchedulerTest)
#include "tst_schedulers.moc"
