#include "core/model/fused_layers.h"

#include "core/kernels/fused_ops.h"
#include "core/model/fp8_linear.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/square.h>

namespace cosmos3::model {
namespace {

std::optional<kernels::RmsNormParams> rms_params(const Norm& norm) {
  switch (norm.kind) {
    case NormKind::kRms:
      return kernels::RmsNormParams{norm.weight, norm.eps, kernels::RmsFlavor::kDiffusers};
    case NormKind::kNemotronRms:
      return kernels::RmsNormParams{norm.weight, norm.eps, kernels::RmsFlavor::kNemotron};
    case NormKind::kIdentity:
      break;
  }
  return std::nullopt;
}

// [S, X] columns [begin, begin + num_heads * D) as [S, num_heads, D] (a view).
at::Tensor heads_of(const at::Tensor& fused_SX, int64_t begin, int64_t num_heads,
                    int64_t head_dim) {
  return fused_SX.slice(1, begin, begin + num_heads * head_dim)
      .view({fused_SX.size(0), num_heads, head_dim});
}

}  // namespace

ResidualAndNormed add_and_norm(const at::Tensor& residual_SE, const at::Tensor& delta_SE,
                               const Norm& norm) {
  if (const auto params = rms_params(norm)) {
    if (auto fused = kernels::try_add_rms_norm(residual_SE, delta_SE, *params)) {
      return {std::move(fused->sum_SC), std::move(fused->normed_SC)};
    }
  }
  const at::Tensor sum_SE = delta_SE.defined() ? residual_SE + delta_SE : residual_SE;
  return {sum_SE, apply_norm(norm, sum_SE)};
}

at::Tensor fused_mlp_activation(const Mlp& mlp, const at::Tensor& input_SE, Precision precision) {
  if (!kernels::fused_path_applies(input_SE) && precision == Precision::kBf16) {
    return mlp_activation(mlp, input_SE);
  }
  if (mlp.activation == Activation::kRelu2) {
    const at::Tensor up_SI = linear_in(precision, mlp.up, input_SE);
    if (auto fused = kernels::try_relu2(up_SI)) {
      return *fused;
    }
    return at::relu(up_SI).square();
  }
  if (!mlp.gate_up.weight.defined()) {
    return at::silu(linear_in(precision, mlp.gate, input_SE)) *
           linear_in(precision, mlp.up, input_SE);
  }
  const int64_t inner = mlp.up.weight.size(0);
  const at::Tensor gate_up_SX = linear_in(precision, mlp.gate_up, input_SE);
  if (auto fused = kernels::try_silu_times_up(gate_up_SX, inner)) {
    return *fused;
  }
  return at::silu(gate_up_SX.slice(1, 0, inner)) * gate_up_SX.slice(1, inner);
}

std::optional<GenerationAttentionInputs> fused_generation_attention_inputs(
    const AttentionWeights& weights, const at::Tensor& gen_SE, const RotaryTables& gen_rotary,
    const TextKeyValues& text_kv, Precision precision) {
  const auto q_params = rms_params(weights.norm_added_q);
  const auto k_params = rms_params(weights.norm_added_k);
  if (!weights.add_qkv_proj.weight.defined() || !kernels::fused_path_applies(gen_SE) || !q_params ||
      !k_params) {
    return std::nullopt;
  }
  const int64_t head_dim = weights.head_dim;
  const int64_t num_q_heads = weights.add_q_proj.weight.size(0) / head_dim;
  const int64_t num_kv_heads = weights.add_k_proj.weight.size(0) / head_dim;
  const int64_t num_und = text_kv.k_SHD.size(0);
  const int64_t num_gen = gen_SE.size(0);
  const at::Tensor qkv_SX = linear_in(precision, weights.add_qkv_proj, gen_SE);

  // Text rows first: they are few (the prompt), and the generation rows then land in place.
  const at::Tensor k_all_SHD =
      at::empty({num_und + num_gen, num_kv_heads, head_dim}, gen_SE.options());
  const at::Tensor v_all_SHD = at::empty_like(k_all_SHD);
  GenerationAttentionInputs inputs{{},
                                   k_all_SHD.slice(0, 0, num_und),
                                   v_all_SHD.slice(0, 0, num_und),
                                   k_all_SHD.slice(0, num_und),
                                   v_all_SHD.slice(0, num_und)};
  inputs.k_und_SHD.copy_(text_kv.k_SHD);
  inputs.v_und_SHD.copy_(text_kv.v_SHD);
  if (auto q_SHD = kernels::try_qk_norm_rope(qkv_SX, num_q_heads, num_kv_heads, head_dim, *q_params,
                                             *k_params, gen_rotary.cos_SD, gen_rotary.sin_SD,
                                             inputs.k_gen_SHD, inputs.v_gen_SHD)) {
    inputs.q_gen_SHD = std::move(*q_SHD);
    return inputs;
  }
  // A layout the kernel does not take (a strided rotary table, say): the ATen ops on views.
  inputs.q_gen_SHD =
      apply_rotary(apply_norm(weights.norm_added_q, heads_of(qkv_SX, 0, num_q_heads, head_dim)),
                   gen_rotary.cos_SD, gen_rotary.sin_SD);
  inputs.k_gen_SHD.copy_(
      apply_rotary(apply_norm(weights.norm_added_k,
                              heads_of(qkv_SX, num_q_heads * head_dim, num_kv_heads, head_dim)),
                   gen_rotary.cos_SD, gen_rotary.sin_SD));
  inputs.v_gen_SHD.copy_(
      heads_of(qkv_SX, (num_q_heads + num_kv_heads) * head_dim, num_kv_heads, head_dim));
  return inputs;
}

}  // namespace cosmos3::model
