#pragma once
// The scheduler side of the denoise loop: which timesteps to visit, the dtype the reference gives
// the per-token timesteps, and how one step moves the latents. Base checkpoints sample with UniPC
// (default or native flow schedule); distilled checkpoints with flow-match Euler on fixed sigmas,
// whose stochastic steps keep drawing from the generator that drew the initial noise.
//
// Shape legend: latents_BCTHW [1, C, T, H, W] as the loop holds them (the reference adds one
// more batch axis around the scheduler call).

#include "core/scheduler/flow_match_euler_scheduler.h"
#include "core/scheduler/unipc_scheduler.h"

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <optional>
#include <vector>

namespace cosmos3::pipeline {

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::vector<double> timesteps() const = 0;
  // UniPC's timesteps are int64 and Euler's float32; the transformer's timestep embedding sees
  // the values in that dtype, as in the reference.
  virtual c10::ScalarType timestep_dtype() const = 0;
  // One step at `timestep` from `latents_BCTHW` along `velocity_BCTHW` (fp32).
  virtual at::Tensor step(const at::Tensor& velocity_BCTHW, double timestep,
                          const at::Tensor& latents_BCTHW) = 0;
  // The noise level at step `step` (0-based): x0 = x_t - sigma * v estimates the clean latents,
  // which live previews decode.
  virtual double sigma(int64_t step) const = 0;
};

class UniPCSampler : public Sampler {
 public:
  // Sets the schedule: the scheduler's own (optionally with `flow_shift`), or, with
  // `native_flow_schedule`, sigmas linspace(1 - 1/num_train_timesteps, 0, steps + 1) minus the
  // last one, as checkpoints with use_native_flow_schedule (Edge) are run.
  UniPCSampler(scheduler::UniPCMultistepScheduler scheduler, int64_t num_steps,
               std::optional<double> flow_shift, bool native_flow_schedule);

  std::vector<double> timesteps() const override;
  c10::ScalarType timestep_dtype() const override { return at::kLong; }
  at::Tensor step(const at::Tensor& velocity_BCTHW, double timestep,
                  const at::Tensor& latents_BCTHW) override;
  double sigma(int64_t step) const override;

  const scheduler::UniPCMultistepScheduler& scheduler() const { return scheduler_; }

 private:
  scheduler::UniPCMultistepScheduler scheduler_;
};

class DistilledEulerSampler : public Sampler {
 public:
  // `generator` is the one the initial noise came from: stochastic steps continue its stream.
  // `condition_mask_T11` and `conditioning_latents_BCTHW` (both optional) re-anchor conditioned
  // frames to their clean latents after each step, since stochastic steps re-noise every frame.
  DistilledEulerSampler(scheduler::FlowMatchEulerScheduler scheduler,
                        const std::vector<double>& sigmas, at::Generator generator,
                        at::Tensor condition_mask_T11 = {},
                        at::Tensor conditioning_latents_BCTHW = {});

  std::vector<double> timesteps() const override;
  c10::ScalarType timestep_dtype() const override { return at::kFloat; }
  at::Tensor step(const at::Tensor& velocity_BCTHW, double timestep,
                  const at::Tensor& latents_BCTHW) override;
  double sigma(int64_t step) const override;

 private:
  scheduler::FlowMatchEulerScheduler scheduler_;
  at::Generator generator_;
  at::Tensor condition_mask_T11_;
  at::Tensor conditioning_latents_BCTHW_;
};

}  // namespace cosmos3::pipeline
