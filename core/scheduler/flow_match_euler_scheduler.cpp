#include "core/scheduler/flow_match_euler_scheduler.h"

#include "core/errors.h"
#include "core/scheduler/flow_sigmas.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>

namespace cosmos3::scheduler {
namespace {

// The reference shifts a list of sigmas in numpy float32: each operand rounds to float32.
float shift_flow_sigma_float32(float sigma, double shift) {
  const auto shift_f = static_cast<float>(shift);
  const auto shift_minus_one = static_cast<float>(shift - 1);
  return shift_f * sigma / (1.0f + shift_minus_one * sigma);
}

}  // namespace

FlowMatchEulerScheduler::FlowMatchEulerScheduler(SchedulerConfig config)
    : config_(std::move(config)) {
  if (config_.kind != SchedulerKind::kFlowMatchEulerDiscrete) {
    throw ConfigError(config_.source +
                      ": field '_class_name' must be "
                      "'FlowMatchEulerDiscreteScheduler' for this sampler");
  }
  // The training schedule in torch float32, as the reference builds it in its constructor.
  const int64_t num_train = config_.num_train_timesteps;
  const at::Tensor train_timesteps = at::arange(num_train, 0, -1, at::kFloat);
  const at::Tensor train_sigmas = train_timesteps / num_train;
  const double shift = config_.shift;
  const at::Tensor shifted = shift * train_sigmas / (1 + (shift - 1) * train_sigmas);
  sigma_max_ = shifted.select(0, 0).item<double>();
  sigma_min_ = shifted.select(0, -1).item<double>();
}

void FlowMatchEulerScheduler::set_timesteps(int64_t num_inference_steps,
                                            const std::optional<std::vector<double>>& sigmas,
                                            std::optional<double> shift) {
  if (num_inference_steps < 1) {
    throw UserError("the number of inference steps must be at least 1, got " +
                    std::to_string(num_inference_steps));
  }
  TORCH_CHECK(!sigmas || static_cast<int64_t>(sigmas->size()) == num_inference_steps,
              "explicit sigmas hold ", sigmas ? sigmas->size() : 0, " values for ",
              num_inference_steps, " steps");
  const double active_shift = shift.value_or(config_.shift);
  const auto num_train = static_cast<double>(config_.num_train_timesteps);
  std::vector<float> schedule;
  if (sigmas) {
    for (double sigma : *sigmas) {
      schedule.push_back(shift_flow_sigma_float32(static_cast<float>(sigma), active_shift));
    }
  } else {
    // Default: float64 linspace over timesteps, shifted in float64, then stored as float32.
    for (double timestep :
         numpy_linspace(sigma_max_ * num_train, sigma_min_ * num_train, num_inference_steps)) {
      schedule.push_back(static_cast<float>(shift_flow_sigma(timestep / num_train, active_shift)));
    }
  }
  const at::Tensor schedule_f32 =
      at::from_blob(schedule.data(), {num_inference_steps}, at::kFloat).clone();
  timesteps_ = schedule_f32 * config_.num_train_timesteps;
  sigmas_ = at::cat({schedule_f32, at::zeros({1}, at::kFloat)});
  num_inference_steps_ = num_inference_steps;
  reset();
}

int64_t FlowMatchEulerScheduler::index_for_timestep(double timestep) const {
  const float* values = timesteps_.const_data_ptr<float>();
  std::vector<int64_t> matches;
  for (int64_t i = 0; i < num_inference_steps_; ++i) {
    if (values[i] == static_cast<float>(timestep)) {
      matches.push_back(i);
    }
  }
  TORCH_CHECK(!matches.empty(), "timestep ", timestep, " is not in the schedule");
  // A repeated timestep starts at its second occurrence, as in the reference.
  return matches.size() > 1 ? matches[1] : matches[0];
}

at::Tensor FlowMatchEulerScheduler::step(const at::Tensor& model_output, double timestep,
                                         const at::Tensor& sample,
                                         std::optional<at::Generator> generator) {
  TORCH_CHECK(num_inference_steps_ > 0, "set_timesteps must run before step");
  if (!step_index_) {
    step_index_ = index_for_timestep(timestep);
  }
  TORCH_CHECK(*step_index_ < num_inference_steps_, "stepped past the last of ",
              num_inference_steps_, " timesteps; call set_timesteps or reset");
  // Upcast, as the reference does, so the update is not rounded to a half-precision sample.
  const at::Tensor sample_f32 = sample.to(at::kFloat);
  const at::Tensor sigma = sigmas_.select(0, *step_index_);
  const at::Tensor sigma_next = sigmas_.select(0, *step_index_ + 1);
  at::Tensor next_sample;
  if (config_.stochastic_sampling) {
    const at::Tensor x0 = sample_f32 - sigma * model_output;
    const bool draw_on_cpu = generator && generator->device().is_cpu();
    const at::Device noise_device = draw_on_cpu ? at::Device(at::kCPU) : sample.device();
    const at::Tensor noise = at::randn(sample.sizes(), generator,
                                       at::TensorOptions().dtype(at::kFloat).device(noise_device))
                                 .to(sample.device());
    next_sample = (1.0 - sigma_next) * x0 + sigma_next * noise;
  } else {
    next_sample = sample_f32 + (sigma_next - sigma) * model_output;
  }
  ++*step_index_;
  return next_sample.to(model_output.scalar_type());
}

}  // namespace cosmos3::scheduler
