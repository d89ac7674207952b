#pragma once
// scheduler/scheduler_config.json of a diffusers checkpoint: every field that
// UniPCMultistepScheduler and FlowMatchEulerDiscreteScheduler read, with the reference's
// defaults. Options the port does not implement are rejected at parse time, naming the field and
// what is supported, so a config never runs with a silently different schedule.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::scheduler {

enum class SchedulerKind { kUniPCMultistep, kFlowMatchEulerDiscrete };
enum class SolverType { kBh1, kBh2 };
enum class FinalSigmasType { kZero, kSigmaMin };

struct SchedulerConfig {
  SchedulerKind kind = SchedulerKind::kUniPCMultistep;
  std::string source;  // the file (or label) it was parsed from, for error messages

  // Shared.
  int64_t num_train_timesteps = 1000;

  // UniPCMultistepScheduler. Only its flow-sigma path (use_flow_sigmas with flow_prediction and
  // predict_x0) is ported; beta_*, trained_betas, timestep_spacing, steps_offset and
  // rescale_betas_zero_snr feed only the discrete-beta path, so they are validated but unused.
  int64_t solver_order = 2;
  std::string prediction_type = "epsilon";
  bool predict_x0 = true;
  SolverType solver_type = SolverType::kBh2;
  bool lower_order_final = true;
  std::vector<int64_t> disable_corrector;  // step indices whose corrector is skipped
  bool use_flow_sigmas = false;
  double flow_shift = 1.0;
  FinalSigmasType final_sigmas_type = FinalSigmasType::kZero;
  std::string timestep_spacing = "linspace";

  // FlowMatchEulerDiscreteScheduler.
  double shift = 1.0;
  bool stochastic_sampling = false;  // re-noise each step (SDE), as distilled checkpoints do
};

// Parses and validates; throws ConfigError naming `source`, the field and the accepted values.
// `_class_name` picks the scheduler and must be one of the two ported ones.
SchedulerConfig parse_scheduler_config(const std::string& json_text, const std::string& source);
SchedulerConfig load_scheduler_config(const std::filesystem::path& config_path);

}  // namespace cosmos3::scheduler
