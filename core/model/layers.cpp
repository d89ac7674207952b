#include "core/model/layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/bmm.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/cos.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/reciprocal.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/sin.h>
#include <ATen/ops/slice.h>
#include <ATen/ops/square.h>
#include <ATen/ops/to.h>

#include <cmath>

namespace cosmos3::model {
namespace {

at::Tensor rms_normalized(const at::Tensor& input, double eps) {
  const at::Tensor variance = input.to(at::kFloat).pow(2).mean({-1}, /*keepdim=*/true);
  return input * at::rsqrt(variance + eps);
}

// diffusers' RMSNorm: the fp32 normalized value is cast to a half-precision weight's dtype
// before the multiply.
at::Tensor rms_norm(const Norm& norm, const at::Tensor& input) {
  at::Tensor normalized = rms_normalized(input, norm.eps);
  if (norm.weight.scalar_type() == at::kHalf || norm.weight.scalar_type() == at::kBFloat16) {
    normalized = normalized.to(norm.weight.scalar_type());
  }
  return normalized * norm.weight;
}

// The Nemotron norm multiplies by the weight in fp32 and casts back to the input dtype.
at::Tensor nemotron_rms_norm(const Norm& norm, const at::Tensor& input) {
  const at::Tensor normalized = rms_normalized(input.to(at::kFloat), norm.eps);
  return (norm.weight.to(at::kFloat) * normalized).to(input.scalar_type());
}

at::Tensor rotate_half(const at::Tensor& x) {
  const int64_t half = x.size(-1) / 2;
  return at::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}

// diffusers' get_timestep_embedding(flip_sin_to_cos=True, downscale_freq_shift=0).
at::Tensor sinusoidal_timesteps(const at::Tensor& timesteps_S, int64_t num_channels) {
  const int64_t half = num_channels / 2;
  const auto float_options = at::TensorOptions().dtype(at::kFloat).device(timesteps_S.device());
  at::Tensor exponent = at::arange(0, half, float_options) * (-std::log(10000.0));
  exponent = exponent / half;
  const at::Tensor angles =
      timesteps_S.unsqueeze(1).to(at::kFloat) * at::exp(exponent).unsqueeze(0);
  return at::cat({at::cos(angles), at::sin(angles)}, -1);
}

}  // namespace

at::Tensor apply_linear(const Linear& linear, const at::Tensor& input) {
  return at::linear(input, linear.weight, linear.bias);
}

at::Tensor apply_norm(const Norm& norm, const at::Tensor& input) {
  switch (norm.kind) {
    case NormKind::kIdentity:
      return input;
    case NormKind::kRms:
      return rms_norm(norm, input);
    case NormKind::kNemotronRms:
      return nemotron_rms_norm(norm, input);
  }
  TORCH_CHECK(false, "unknown norm kind");
}

at::Tensor mlp_activation(const Mlp& mlp, const at::Tensor& input) {
  if (mlp.activation == Activation::kRelu2) {
    return at::relu(apply_linear(mlp.up, input)).square();
  }
  return at::silu(apply_linear(mlp.gate, input)) * apply_linear(mlp.up, input);
}

at::Tensor apply_domain_linear(const DomainAwareLinear& linear, const at::Tensor& input,
                               const at::Tensor& domain_ids_S) {
  const int64_t num_tokens = domain_ids_S.size(0);
  const at::Tensor weight = at::index_select(linear.fc, 0, domain_ids_S)
                                .view({num_tokens, linear.input_size, linear.output_size});
  const at::Tensor bias =
      at::index_select(linear.bias, 0, domain_ids_S).view({num_tokens, linear.output_size});
  return at::bmm(input.unsqueeze(1), weight).squeeze(1) + bias;
}

at::Tensor embed_timesteps(const Linear& linear_1, const Linear& linear_2,
                           const at::Tensor& timesteps_S) {
  const at::Tensor sinusoids = sinusoidal_timesteps(timesteps_S, linear_1.weight.size(1));
  return apply_linear(linear_2, at::silu(apply_linear(linear_1, sinusoids)));
}

RotaryTables mrope_tables(const at::Tensor& position_ids_3S, int64_t head_dim, double theta,
                          const std::array<int64_t, 3>& axes, c10::ScalarType dtype) {
  const auto float_options = at::TensorOptions().dtype(at::kFloat).device(position_ids_3S.device());
  const at::Tensor inv_freq =
      at::reciprocal(at::pow(theta, at::arange(0, head_dim, 2, float_options) / head_dim));
  // [3, S, D/2]: each axis' positions times every frequency.
  const at::Tensor freqs_3SF = position_ids_3S.to(at::kFloat).unsqueeze(2) * inv_freq;
  // Interleave: frequency f takes the h axis where f % 3 == 1 (f < 3 * axes[1]), the w axis
  // where f % 3 == 2 (f < 3 * axes[2]), and the t axis everywhere else.
  at::Tensor freqs_SF = freqs_3SF.select(0, 0).clone();
  for (int64_t axis = 1; axis <= 2; ++axis) {
    const int64_t end = axes[axis] * 3;
    freqs_SF.slice(-1, axis, end, 3).copy_(freqs_3SF.select(0, axis).slice(-1, axis, end, 3));
  }
  const at::Tensor angles_SD = at::cat({freqs_SF, freqs_SF}, -1);
  return RotaryTables{at::cos(angles_SD).to(dtype), at::sin(angles_SD).to(dtype)};
}

at::Tensor apply_rotary(const at::Tensor& x_SHD, const at::Tensor& cos_SD,
                        const at::Tensor& sin_SD) {
  return x_SHD * cos_SD.unsqueeze(1) + rotate_half(x_SHD) * sin_SD.unsqueeze(1);
}

}  // namespace cosmos3::model
