#include "core/scheduler/unipc_scheduler.h"

#include "core/errors.h"
#include "core/scheduler/flow_sigmas.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/einsum.h>
#include <ATen/ops/expm1.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/linalg_solve.h>
#include <ATen/ops/log.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/stack.h>

#include <algorithm>
#include <cmath>

namespace cosmos3::scheduler {
namespace {

// The reference nudges a first sigma of 1 down so that log(alpha) = log(1 - sigma) stays finite.
constexpr double kFirstSigmaMargin = 1e-6;

// Flow sigmas: the sample is alpha * x0 + sigma * noise with alpha = 1 - sigma.
at::Tensor alpha_of(const at::Tensor& sigma) { return 1 - sigma; }

at::Tensor lambda_of(const at::Tensor& sigma) { return at::log(alpha_of(sigma)) - at::log(sigma); }

at::Tensor vector_tensor(const std::vector<double>& values, at::ScalarType dtype) {
  auto copy = values;
  return at::from_blob(copy.data(), {static_cast<int64_t>(copy.size())}, at::kDouble)
      .to(dtype, /*non_blocking=*/false, /*copy=*/true);
}

}  // namespace

UniPCMultistepScheduler::UniPCMultistepScheduler(SchedulerConfig config)
    : config_(std::move(config)) {
  if (config_.kind != SchedulerKind::kUniPCMultistep) {
    throw ConfigError(config_.source +
                      ": field '_class_name' must be 'UniPCMultistepScheduler' for this sampler");
  }
}

void UniPCMultistepScheduler::set_timesteps(int64_t num_inference_steps,
                                            const std::optional<std::vector<double>>& sigmas,
                                            std::optional<double> flow_shift) {
  if (num_inference_steps < 1) {
    throw UserError("the number of inference steps must be at least 1, got " +
                    std::to_string(num_inference_steps));
  }
  TORCH_CHECK(!sigmas || static_cast<int64_t>(sigmas->size()) == num_inference_steps,
              "explicit sigmas hold ", sigmas ? sigmas->size() : 0, " values for ",
              num_inference_steps, " steps");
  const auto num_train = static_cast<double>(config_.num_train_timesteps);
  std::vector<double> schedule;
  if (sigmas) {
    schedule = *sigmas;
  } else {
    schedule = numpy_linspace(1.0, 1.0 / num_train, num_inference_steps + 1);
    schedule.pop_back();
  }
  const double shift = flow_shift.value_or(config_.flow_shift);
  for (double& sigma : schedule) {
    sigma = shift_flow_sigma(sigma, shift);
  }
  if (std::fabs(schedule.front() - 1) < kFirstSigmaMargin) {
    schedule.front() -= kFirstSigmaMargin;
  }
  // The reference truncates float64 sigma * num_train_timesteps towards zero.
  std::vector<double> timesteps;
  for (double sigma : schedule) {
    timesteps.push_back(static_cast<double>(static_cast<int64_t>(sigma * num_train)));
  }
  schedule.push_back(config_.final_sigmas_type == FinalSigmasType::kZero ? 0.0 : schedule.back());

  sigmas_ = vector_tensor(schedule, at::kFloat);
  timesteps_ = vector_tensor(timesteps, at::kLong);
  num_inference_steps_ = num_inference_steps;
  reset();
}

void UniPCMultistepScheduler::reset() {
  model_outputs_.assign(static_cast<size_t>(config_.solver_order), at::Tensor());
  last_sample_ = at::Tensor();
  lower_order_nums_ = 0;
  this_order_ = 0;
  step_index_.reset();
}

int64_t UniPCMultistepScheduler::index_for_timestep(double timestep) const {
  const int64_t* values = timesteps_.const_data_ptr<int64_t>();
  std::vector<int64_t> matches;
  for (int64_t i = 0; i < num_inference_steps_; ++i) {
    if (static_cast<double>(values[i]) == timestep) {
      matches.push_back(i);
    }
  }
  // Like the reference: an unknown timestep starts at the end, and a repeated one at its second
  // occurrence so that starting mid-schedule does not skip a sigma.
  if (matches.empty()) {
    return num_inference_steps_ - 1;
  }
  return matches.size() > 1 ? matches[1] : matches[0];
}

at::Tensor UniPCMultistepScheduler::sigma_at(int64_t index, const at::Device& device) const {
  return sigmas_.select(0, index).to(device);
}

at::Tensor UniPCMultistepScheduler::convert_model_output(const at::Tensor& model_output,
                                                         const at::Tensor& sample) const {
  // flow_prediction with predict_x0: the velocity points from data to noise.
  return sample - sigmas_.select(0, *step_index_) * model_output;
}

bool UniPCMultistepScheduler::corrector_disabled_after(int64_t step_index) const {
  const auto& disabled = config_.disable_corrector;
  return std::find(disabled.begin(), disabled.end(), step_index) != disabled.end();
}

at::Tensor UniPCMultistepScheduler::step(const at::Tensor& model_output, double timestep,
                                         const at::Tensor& sample) {
  TORCH_CHECK(num_inference_steps_ > 0, "set_timesteps must run before step");
  TORCH_CHECK(sample.dim() >= 2, "UniPC samples are [B, C, ...], got ", sample.sizes());
  if (!step_index_) {
    step_index_ = index_for_timestep(timestep);
  }
  TORCH_CHECK(*step_index_ < num_inference_steps_, "stepped past the last of ",
              num_inference_steps_, " timesteps; call set_timesteps or reset");
  const bool use_corrector =
      *step_index_ > 0 && !corrector_disabled_after(*step_index_ - 1) && last_sample_.defined();

  const at::Tensor converted = convert_model_output(model_output, sample);
  const at::Tensor corrected =
      use_corrector ? corrector_update(converted, last_sample_, sample, this_order_) : sample;

  model_outputs_.erase(model_outputs_.begin());
  model_outputs_.push_back(converted);

  int64_t order = config_.solver_order;
  if (config_.lower_order_final) {
    order = std::min(order, num_inference_steps_ - *step_index_);
  }
  // Warm-up: the order grows with the history available.
  this_order_ = std::min(order, lower_order_nums_ + 1);
  TORCH_CHECK(this_order_ > 0, "UniPC order must be positive");

  last_sample_ = corrected;
  at::Tensor next_sample = predictor_update(corrected, this_order_);
  lower_order_nums_ = std::min(lower_order_nums_ + 1, config_.solver_order);
  ++*step_index_;
  return next_sample;
}

UniPCMultistepScheduler::UpdateTerms UniPCMultistepScheduler::update_terms(
    int64_t target_index, int64_t source_index, int64_t order, const at::Device& device) const {
  UpdateTerms terms;
  terms.sigma_t = sigma_at(target_index, device);
  terms.sigma_s0 = sigma_at(source_index, device);
  terms.alpha_t = alpha_of(terms.sigma_t);
  const at::Tensor lambda_s0 = lambda_of(terms.sigma_s0);
  const at::Tensor h = lambda_of(terms.sigma_t) - lambda_s0;

  const at::Tensor& m0 = model_outputs_.back();
  std::vector<at::Tensor> rks;
  std::vector<at::Tensor> d1s;
  for (int64_t i = 1; i < order; ++i) {
    const at::Tensor& earlier_output = model_outputs_[model_outputs_.size() - 1 - i];
    const at::Tensor rk = (lambda_of(sigma_at(source_index - i, device)) - lambda_s0) / h;
    rks.push_back(rk);
    d1s.push_back((earlier_output - m0) / rk);
  }
  rks.push_back(at::ones({}, at::TensorOptions().dtype(at::kFloat).device(device)));
  const at::Tensor rks_stacked = at::stack(rks);

  // predict_x0 integrates in -h; B(h) is h itself (bh1) or e^h - 1 (bh2).
  const at::Tensor hh = -h;
  terms.h_phi_1 = at::expm1(hh);
  terms.b_h = config_.solver_type == SolverType::kBh1 ? hh : at::expm1(hh);
  at::Tensor h_phi_k = terms.h_phi_1 / hh - 1;
  int64_t factorial = 1;
  std::vector<at::Tensor> r_rows;
  std::vector<at::Tensor> b_values;
  for (int64_t i = 1; i <= order; ++i) {
    r_rows.push_back(at::pow(rks_stacked, i - 1));
    b_values.push_back(h_phi_k * factorial / terms.b_h);
    factorial *= i + 1;
    h_phi_k = h_phi_k / hh - 1.0 / static_cast<double>(factorial);
  }
  terms.r_matrix = at::stack(r_rows);
  terms.b_vector = at::stack(b_values);
  if (!d1s.empty()) {
    terms.d1s = at::stack(d1s, 1);
  }
  return terms;
}

at::Tensor UniPCMultistepScheduler::predictor_update(const at::Tensor& sample,
                                                     int64_t order) const {
  const at::Device device = sample.device();
  const UpdateTerms terms = update_terms(*step_index_ + 1, *step_index_, order, device);
  const at::Tensor& m0 = model_outputs_.back();
  const at::Tensor x_t_base =
      terms.sigma_t / terms.sigma_s0 * sample - terms.alpha_t * terms.h_phi_1 * m0;
  if (!terms.d1s) {
    // The reference multiplies a literal 0 here, which turns an infinite B(h) (bh1 reaching
    // sigma 0) into NaN; kept so the port fails exactly where the reference does.
    return (x_t_base - terms.alpha_t * terms.b_h * 0).to(sample.scalar_type());
  }
  at::Tensor rhos_p;
  if (order == 2) {
    rhos_p = at::ones({1}, sample.options()) * 0.5;
  } else {
    rhos_p = at::linalg_solve(terms.r_matrix.slice(0, 0, -1).slice(1, 0, -1),
                              terms.b_vector.slice(0, 0, -1))
                 .to(device)
                 .to(sample.scalar_type());
  }
  const at::Tensor pred_res = at::einsum("k,bkc...->bc...", {rhos_p, *terms.d1s});
  return (x_t_base - terms.alpha_t * terms.b_h * pred_res).to(sample.scalar_type());
}

at::Tensor UniPCMultistepScheduler::corrector_update(const at::Tensor& this_model_output,
                                                     const at::Tensor& last_sample,
                                                     const at::Tensor& this_sample,
                                                     int64_t order) const {
  const at::Device device = this_sample.device();
  const UpdateTerms terms = update_terms(*step_index_, *step_index_ - 1, order, device);
  const at::Tensor& m0 = model_outputs_.back();
  at::Tensor rhos_c;
  if (order == 1) {
    rhos_c = at::ones({1}, last_sample.options()) * 0.5;
  } else {
    rhos_c =
        at::linalg_solve(terms.r_matrix, terms.b_vector).to(device).to(last_sample.scalar_type());
  }
  const at::Tensor x_t_base =
      terms.sigma_t / terms.sigma_s0 * last_sample - terms.alpha_t * terms.h_phi_1 * m0;
  const at::Tensor d1_t = this_model_output - m0;
  at::Tensor correction = rhos_c.select(0, -1) * d1_t;
  if (terms.d1s) {
    correction = at::einsum("k,bkc...->bc...", {rhos_c.slice(0, 0, -1), *terms.d1s}) + correction;
  }
  return (x_t_base - terms.alpha_t * terms.b_h * correction).to(last_sample.scalar_type());
}

}  // namespace cosmos3::scheduler
