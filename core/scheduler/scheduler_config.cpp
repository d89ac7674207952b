#include "core/scheduler/scheduler_config.h"

#include "core/config/json_config_reader.h"
#include "core/errors.h"

namespace cosmos3::scheduler {
namespace {

using config::Json;
using config::JsonConfigReader;

constexpr const char* kUniPCClass = "UniPCMultistepScheduler";
constexpr const char* kFlowMatchEulerClass = "FlowMatchEulerDiscreteScheduler";

SchedulerKind parse_kind(const JsonConfigReader& reader) {
  std::string class_name;
  reader.read("_class_name", class_name);
  if (class_name == kUniPCClass) {
    return SchedulerKind::kUniPCMultistep;
  }
  if (class_name == kFlowMatchEulerClass) {
    return SchedulerKind::kFlowMatchEulerDiscrete;
  }
  reader.fail("_class_name", "is '" + class_name + "'; supported schedulers are '" + kUniPCClass +
                                 "' and '" + kFlowMatchEulerClass + "'");
}

void reject_other_sigma_schedules(const JsonConfigReader& reader) {
  const std::string why = "only flow sigmas are ported";
  reader.require_off("use_karras_sigmas", why);
  reader.require_off("use_exponential_sigmas", why);
  reader.require_off("use_beta_sigmas", why);
  reader.require_off("use_dynamic_shifting", "resolution-dependent shifting needs `mu`");
  reader.require_unset_number("shift_terminal", "terminal stretching is not ported");
}

SolverType parse_solver_type(const JsonConfigReader& reader) {
  // The reference renames the DPM-Solver names to bh2.
  const std::string name =
      reader.read_choice("solver_type", "bh2", {"bh1", "bh2", "midpoint", "heun", "logrho"});
  return name == "bh1" ? SolverType::kBh1 : SolverType::kBh2;
}

void parse_unipc(const JsonConfigReader& reader, SchedulerConfig& config) {
  if (!reader.has("trained_betas")) {
    reader.read_choice("beta_schedule", "linear", {"linear", "scaled_linear", "squaredcos_cap_v2"});
  }
  reader.read("solver_order", config.solver_order);
  if (config.solver_order < 1) {
    reader.fail("solver_order",
                "must be a positive integer, got " + std::to_string(config.solver_order));
  }
  config.prediction_type = reader.read_choice(
      "prediction_type", "epsilon", {"epsilon", "sample", "v_prediction", "flow_prediction"});
  if (config.prediction_type != "flow_prediction") {
    reader.fail("prediction_type",
                "is '" + config.prediction_type + "'; Cosmos3 Studio ports only 'flow_prediction'");
  }
  reader.require_off("thresholding", "dynamic thresholding is not ported");
  reader.read("predict_x0", config.predict_x0);
  if (!config.predict_x0) {
    reader.fail("predict_x0", "is false; flow_prediction works only with predict_x0 true");
  }
  config.solver_type = parse_solver_type(reader);
  reader.read("lower_order_final", config.lower_order_final);
  reader.read("disable_corrector", config.disable_corrector);
  if (reader.has("solver_p")) {
    reader.fail("solver_p", "is set; an external predictor is not supported, remove it");
  }
  reject_other_sigma_schedules(reader);
  reader.read("use_flow_sigmas", config.use_flow_sigmas);
  if (!config.use_flow_sigmas) {
    reader.fail("use_flow_sigmas",
                "is false; Cosmos3 Studio ports only the flow-sigma schedule "
                "(use_flow_sigmas true)");
  }
  reader.read("flow_shift", config.flow_shift);
  config.timestep_spacing =
      reader.read_choice("timestep_spacing", "linspace", {"linspace", "leading", "trailing"});
  const std::string final_sigmas =
      reader.read_choice("final_sigmas_type", "zero", {"zero", "sigma_min"});
  config.final_sigmas_type =
      final_sigmas == "zero" ? FinalSigmasType::kZero : FinalSigmasType::kSigmaMin;
}

void parse_flow_match_euler(const JsonConfigReader& reader, SchedulerConfig& config) {
  reader.read("shift", config.shift);
  reject_other_sigma_schedules(reader);
  reader.read_choice("time_shift_type", "exponential", {"exponential", "linear"});
  reader.require_off("invert_sigmas", "Mochi's inverted schedule is not ported");
  reader.read("stochastic_sampling", config.stochastic_sampling);
}

}  // namespace

SchedulerConfig parse_scheduler_config(const std::string& json_text, const std::string& source) {
  const Json json = config::parse_json_object(json_text, source);
  const JsonConfigReader reader(json, source);
  SchedulerConfig config;
  config.source = source;
  config.kind = parse_kind(reader);
  reader.read("num_train_timesteps", config.num_train_timesteps);
  if (config.num_train_timesteps < 1) {
    reader.fail("num_train_timesteps",
                "must be positive, got " + std::to_string(config.num_train_timesteps));
  }
  if (config.kind == SchedulerKind::kUniPCMultistep) {
    parse_unipc(reader, config);
  } else {
    parse_flow_match_euler(reader, config);
  }
  return config;
}

SchedulerConfig load_scheduler_config(const std::filesystem::path& config_path) {
  return parse_scheduler_config(
      config::read_config_text(config_path,
                               "a diffusers folder holds it as scheduler/scheduler_config.json"),
      config_path.string());
}

}  // namespace cosmos3::scheduler
