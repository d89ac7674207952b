#pragma once
// diffusers' FlowMatchEulerDiscreteScheduler: the first-order flow sampler that distilled Cosmos3
// checkpoints run on a fixed sigma list. Deterministic steps move along the velocity
// (x + (sigma_next - sigma) * v); stochastic_sampling re-noises the predicted clean sample to the
// next sigma instead, with noise drawn as the reference's randn_tensor draws it.
//
// Copies are independent, as for UniPCMultistepScheduler: nothing is written in place.

#include "core/scheduler/scheduler_config.h"

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace cosmos3::scheduler {

class FlowMatchEulerScheduler {
 public:
  // Throws ConfigError when `config` is not a FlowMatchEulerDiscreteScheduler config.
  explicit FlowMatchEulerScheduler(SchedulerConfig config);

  // Builds the schedule. `sigmas` (num_inference_steps values, as distilled checkpoints list
  // them) replaces the default linspace between the training sigmas; `shift` overrides the
  // config's, as the reference's set_shift does.
  void set_timesteps(int64_t num_inference_steps,
                     const std::optional<std::vector<double>>& sigmas = std::nullopt,
                     std::optional<double> shift = std::nullopt);

  // One step from `timestep` (a value of timesteps()) to the next; returns the new sample in the
  // model output's dtype. `generator` seeds the stochastic_sampling noise: a CPU generator draws
  // on the CPU and moves the noise to the sample's device; none uses the default generator.
  at::Tensor step(const at::Tensor& model_output, double timestep, const at::Tensor& sample,
                  std::optional<at::Generator> generator = std::nullopt);

  // Starts the schedule over from its first timestep.
  void reset() { step_index_.reset(); }

  const SchedulerConfig& config() const { return config_; }
  const at::Tensor& timesteps() const { return timesteps_; }  // float32 [num_inference_steps]
  const at::Tensor& sigmas() const { return sigmas_; }        // float32 [num_inference_steps + 1]
  int64_t num_inference_steps() const { return num_inference_steps_; }
  std::optional<int64_t> step_index() const { return step_index_; }

 private:
  int64_t index_for_timestep(double timestep) const;

  SchedulerConfig config_;
  // The shifted training schedule's ends, which bound the default inference schedule.
  double sigma_max_ = 1.0;
  double sigma_min_ = 0.0;
  at::Tensor timesteps_;
  at::Tensor sigmas_;
  int64_t num_inference_steps_ = 0;
  std::optional<int64_t> step_index_;
};

}  // namespace cosmos3::scheduler
