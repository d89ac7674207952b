#pragma once
// diffusers' UniPCMultistepScheduler on its flow-sigma path (flow_prediction, predict_x0), the
// sampler of Cosmos3 base checkpoints: a multistep predictor (UniP) followed, from the second
// step on, by a corrector (UniC) that reuses the new model output.
//
// Samples are [B, C, ...] (the reference's einsum needs the batch axis); model outputs are the
// CFG-combined velocities, shaped like the sample. The step coefficients are float32 0-dim
// tensors computed with the same ops as the reference, so results agree to float32 rounding.
//
// Copies are independent: every tensor the scheduler holds is replaced, never written in place,
// so copying a scheduler after set_timesteps is the reference's deepcopy (Cosmos3 steps sound
// and action latents with their own copies).

#include "core/scheduler/scheduler_config.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace cosmos3::scheduler {

class UniPCMultistepScheduler {
 public:
  // Throws ConfigError when `config` is not a UniPCMultistepScheduler config.
  explicit UniPCMultistepScheduler(SchedulerConfig config);

  // Builds the schedule and clears the multistep history. `sigmas` replaces the default
  // linspace(1, 1/num_train_timesteps) schedule (before shifting) and must hold
  // num_inference_steps values; `flow_shift` overrides the config's.
  void set_timesteps(int64_t num_inference_steps,
                     const std::optional<std::vector<double>>& sigmas = std::nullopt,
                     std::optional<double> flow_shift = std::nullopt);

  // One denoising step from `timestep` (a value of timesteps()) to the next; returns the new
  // sample in the sample's dtype.
  at::Tensor step(const at::Tensor& model_output, double timestep, const at::Tensor& sample);

  // Forgets the history so the same schedule can be sampled again from its first timestep.
  void reset();

  const SchedulerConfig& config() const { return config_; }
  const at::Tensor& timesteps() const { return timesteps_; }  // int64 [num_inference_steps]
  const at::Tensor& sigmas() const { return sigmas_; }        // float32 [num_inference_steps + 1]
  int64_t num_inference_steps() const { return num_inference_steps_; }
  std::optional<int64_t> step_index() const { return step_index_; }

 private:
  // The terms shared by the predictor and the corrector for a move from sigma index
  // `source_index` to `target_index`, using `order - 1` earlier model outputs.
  struct UpdateTerms {
    at::Tensor alpha_t, sigma_t, sigma_s0, h_phi_1, b_h;
    at::Tensor r_matrix, b_vector;  // [order, order], [order]
    std::optional<at::Tensor> d1s;  // [B, order - 1, C, ...] output differences, if order > 1
  };

  int64_t index_for_timestep(double timestep) const;
  at::Tensor sigma_at(int64_t index, const at::Device& device) const;
  at::Tensor convert_model_output(const at::Tensor& model_output, const at::Tensor& sample) const;
  UpdateTerms update_terms(int64_t target_index, int64_t source_index, int64_t order,
                           const at::Device& device) const;
  at::Tensor predictor_update(const at::Tensor& sample, int64_t order) const;
  at::Tensor corrector_update(const at::Tensor& this_model_output, const at::Tensor& last_sample,
                              const at::Tensor& this_sample, int64_t order) const;
  bool corrector_disabled_after(int64_t step_index) const;

  SchedulerConfig config_;
  at::Tensor timesteps_;
  at::Tensor sigmas_;  // on the CPU, as the reference keeps them
  int64_t num_inference_steps_ = 0;

  // Multistep state, oldest first; undefined tensors are the reference's None.
  std::vector<at::Tensor> model_outputs_;
  at::Tensor last_sample_;
  int64_t lower_order_nums_ = 0;
  int64_t this_order_ = 0;
  std::optional<int64_t> step_index_;
};

}  // namespace cosmos3::scheduler
