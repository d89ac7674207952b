#include "core/pipeline/sampler.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/to.h>

namespace cosmos3::pipeline {
namespace {

std::vector<double> as_doubles(const at::Tensor& values) {
  const at::Tensor values_f64 = values.to(at::kDouble).contiguous();
  const double* data = values_f64.data_ptr<double>();
  return std::vector<double>(data, data + values_f64.numel());
}

// numpy's linspace(start, stop, num) in float64, as the reference builds the native schedule.
std::vector<double> native_flow_sigmas(int64_t num_steps, int64_t num_train_timesteps) {
  const double start = 1.0 - 1.0 / static_cast<double>(num_train_timesteps);
  const double step = (0.0 - start) / static_cast<double>(num_steps);
  std::vector<double> sigmas(static_cast<size_t>(num_steps));
  for (int64_t index = 0; index < num_steps; ++index) {
    sigmas[static_cast<size_t>(index)] = start + static_cast<double>(index) * step;
  }
  return sigmas;
}

}  // namespace

UniPCSampler::UniPCSampler(scheduler::UniPCMultistepScheduler scheduler, int64_t num_steps,
                           std::optional<double> flow_shift, bool native_flow_schedule)
    : scheduler_(std::move(scheduler)) {
  std::optional<std::vector<double>> sigmas;
  if (native_flow_schedule) {
    sigmas = native_flow_sigmas(num_steps, scheduler_.config().num_train_timesteps);
  }
  scheduler_.set_timesteps(num_steps, sigmas, flow_shift);
}

std::vector<double> UniPCSampler::timesteps() const { return as_doubles(scheduler_.timesteps()); }

at::Tensor UniPCSampler::step(const at::Tensor& velocity_BCTHW, double timestep,
                              const at::Tensor& latents_BCTHW) {
  // The scheduler's einsum wants a batch axis.
  return scheduler_.step(velocity_BCTHW.unsqueeze(0), timestep, latents_BCTHW.unsqueeze(0))
      .squeeze(0);
}

double UniPCSampler::sigma(int64_t step) const { return scheduler_.sigmas()[step].item<double>(); }

DistilledEulerSampler::DistilledEulerSampler(scheduler::FlowMatchEulerScheduler scheduler,
                                             const std::vector<double>& sigmas,
                                             at::Generator generator, at::Tensor condition_mask_T11,
                                             at::Tensor conditioning_latents_BCTHW)
    : scheduler_(std::move(scheduler)),
      generator_(std::move(generator)),
      condition_mask_T11_(std::move(condition_mask_T11)),
      conditioning_latents_BCTHW_(std::move(conditioning_latents_BCTHW)) {
  scheduler_.set_timesteps(static_cast<int64_t>(sigmas.size()), sigmas);
}

double DistilledEulerSampler::sigma(int64_t step) const {
  return scheduler_.sigmas()[step].item<double>();
}

std::vector<double> DistilledEulerSampler::timesteps() const {
  return as_doubles(scheduler_.timesteps());
}

at::Tensor DistilledEulerSampler::step(const at::Tensor& velocity_BCTHW, double timestep,
                                       const at::Tensor& latents_BCTHW) {
  at::Tensor stepped = scheduler_
                           .step(velocity_BCTHW.to(at::kFloat).unsqueeze(0), timestep,
                                 latents_BCTHW.to(at::kFloat).unsqueeze(0), generator_)
                           .squeeze(0);
  if (conditioning_latents_BCTHW_.defined()) {
    const at::Tensor mask = condition_mask_T11_.to(stepped.device(), stepped.scalar_type());
    const at::Tensor reference =
        conditioning_latents_BCTHW_.to(stepped.device(), stepped.scalar_type());
    stepped = mask * reference + (1.0 - mask) * stepped;
  }
  return stepped;
}

}  // namespace cosmos3::pipeline
