#pragma once
// The transformer's building blocks as functions of their weights. Each follows the
// reference's order of operations and dtype casts exactly, so bf16 results round alike.
//
// Shape legend: S tokens, H heads, D head_dim, C channels.

#include "core/model/transformer_weights.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::model {

at::Tensor apply_linear(const Linear& linear, const at::Tensor& input);
at::Tensor apply_norm(const Norm& norm, const at::Tensor& input);
// The MLP up to its down projection, which callers apply as a row-parallel linear.
at::Tensor mlp_activation(const Mlp& mlp, const at::Tensor& input);

// input [S, in], domain_ids_S [S] -> [S, out]
at::Tensor apply_domain_linear(const DomainAwareLinear& linear, const at::Tensor& input,
                               const at::Tensor& domain_ids_S);

// timesteps_S (already multiplied by timestep_scale) -> [S, hidden], fp32.
at::Tensor embed_timesteps(const Linear& linear_1, const Linear& linear_2,
                           const at::Tensor& timesteps_S);

struct RotaryTables {
  at::Tensor cos_SD;
  at::Tensor sin_SD;
};

// Interleaved 3-axis mRoPE tables for position_ids_3S ([t; h; w] rows), computed in fp32 and
// returned in `dtype`.
RotaryTables mrope_tables(const at::Tensor& position_ids_3S, int64_t head_dim, double theta,
                          const std::array<int64_t, 3>& axes, c10::ScalarType dtype);

// x_SHD rotated by tables whose rows match x's tokens.
at::Tensor apply_rotary(const at::Tensor& x_SHD, const at::Tensor& cos_SD,
                        const at::Tensor& sin_SD);

}  // namespace cosmos3::model
