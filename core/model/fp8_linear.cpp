#include "core/model/fp8_linear.h"

#include "core/kernels/fused_ops.h"
#include "core/model/layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_scaled_mm.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/amax.h>
#include <ATen/ops/clamp.h>
#include <ATen/ops/clamp_min.h>
#include <ATen/ops/to.h>

#include <vector>

namespace cosmos3::model {
namespace {

// e4m3's largest finite value: a row's amax maps onto it.
constexpr double kE4m3Max = 448.0;

// The ATen form of kernels::try_quantize_rows_e4m3, same arithmetic.
kernels::QuantizedRows quantize_rows(const at::Tensor& rows_SE) {
  if (auto fused = kernels::try_quantize_rows_e4m3(rows_SE)) {
    return *fused;
  }
  const at::Tensor rows_float = rows_SE.to(at::kFloat);
  const at::Tensor scale_S1 =
      rows_float.abs().amax({1}, /*keepdim=*/true).clamp_min(1e-12) / kE4m3Max;
  return {(rows_float / scale_S1).clamp(-kE4m3Max, kE4m3Max).to(at::kFloat8_e4m3fn), scale_S1};
}

}  // namespace

void attach_fp8_weight(Linear& linear) {
  TORCH_CHECK(linear.weight.is_cuda() && linear.weight.scalar_type() == at::kBFloat16,
              "FP8 weights are made from CUDA bf16 weights");
  kernels::QuantizedRows quantized = quantize_rows(linear.weight.contiguous());
  linear.weight_e4m3 = std::move(quantized.values_SC);
  linear.weight_scale_1N = quantized.scale_S1.view({1, -1});
}

std::vector<Linear*> fp8_generation_linears(TransformerWeights& weights) {
  std::vector<Linear*> linears;
  for (DecoderLayerWeights& layer : weights.layers) {
    AttentionWeights& attention = layer.self_attn;
    Mlp& mlp = layer.mlp_moe_gen;
    // Where q/k/v or gate/up are fused, only the fused weight gets an e4m3 copy: the FP8
    // forward runs through the fused GEMM, and a second copy of the parts would waste memory.
    linears.insert(linears.end(), {&attention.to_add_out, &mlp.down});
    if (attention.add_qkv_proj.weight.defined()) {
      linears.push_back(&attention.add_qkv_proj);
    } else {
      linears.insert(linears.end(),
                     {&attention.add_q_proj, &attention.add_k_proj, &attention.add_v_proj});
    }
    if (mlp.gate_up.weight.defined()) {
      linears.push_back(&mlp.gate_up);
    } else {
      linears.insert(linears.end(), {&mlp.gate, &mlp.up});
    }
  }
  std::erase_if(linears, [](const Linear* linear) { return !linear->weight.defined(); });
  return linears;
}

void attach_fp8_generation_weights(TransformerWeights& weights) {
  try {
    for (Linear* linear : fp8_generation_linears(weights)) {
      if (!linear->weight_e4m3.defined()) {
        attach_fp8_weight(*linear);
      }
    }
  } catch (const c10::OutOfMemoryError&) {
    // Half a tower of copies would hold memory that bf16 jobs need and no FP8 job could use.
    detach_fp8_generation_weights(weights);
    throw;
  }
}

void detach_fp8_generation_weights(TransformerWeights& weights) {
  for (Linear* linear : fp8_generation_linears(weights)) {
    linear->weight_e4m3 = at::Tensor();
    linear->weight_scale_1N = at::Tensor();
  }
}

at::Tensor fp8_matmul(const Linear& linear, const at::Tensor& input_SE) {
  const kernels::QuantizedRows input = quantize_rows(input_SE.contiguous());
  // _scaled_mm wants the second operand column-major: the [N, E] weight's transpose is.
  return at::_scaled_mm(input.values_SC, linear.weight_e4m3.t(), input.scale_S1,
                        linear.weight_scale_1N, /*bias=*/std::nullopt,
                        /*scale_result=*/std::nullopt, at::kBFloat16);
}

at::Tensor linear_in(Precision precision, const Linear& linear, const at::Tensor& input_SE) {
  if (precision != Precision::kFp8 || !linear.weight_e4m3.defined()) {
    return apply_linear(linear, input_SE);
  }
  const at::Tensor output = fp8_matmul(linear, input_SE);
  return linear.bias.defined() ? output + linear.bias : output;
}

at::Tensor row_parallel_in(Precision precision, const Linear& linear, const at::Tensor& input_SE,
                           ModelSeams& seams) {
  if (precision != Precision::kFp8 || !linear.weight_e4m3.defined()) {
    return apply_row_parallel(linear, input_SE, seams);
  }
  const at::Tensor output = seams.reduce_row_parallel(fp8_matmul(linear, input_SE));
  return linear.bias.defined() ? output + linear.bias : output;
}

}  // namespace cosmos3::model
