#pragma once
// The transformer's hot path between the GEMMs, through the fused CUDA kernels of
// core/kernels where they apply and through the ATen ops of layers.h otherwise (always on the
// CPU, so the CPU numerics are those of the unfused functions).
//
// Shape legend: S tokens (S_und text, S_gen generation), Hq query heads, Hkv key/value heads,
// D head_dim, E hidden size.

#include "core/model/layers.h"
#include "core/model/model_seams.h"

#include <ATen/core/Tensor.h>

#include <optional>

namespace cosmos3::model {

struct ResidualAndNormed {
  at::Tensor residual_SE;  // residual + delta
  at::Tensor normed_SE;    // norm(residual + delta)
};

// residual + delta and its norm in one pass; `delta_SE` may be undefined (a plain norm).
ResidualAndNormed add_and_norm(const at::Tensor& residual_SE, const at::Tensor& delta_SE,
                               const Norm& norm);

// The MLP up to its down projection: one gate+up GEMM and the fused activation where they
// apply, mlp_activation otherwise.
at::Tensor fused_mlp_activation(const Mlp& mlp, const at::Tensor& input_SE,
                                Precision precision = Precision::kBf16);

// The generation pathway's attention inputs: q [S_gen, Hq, D] and the keys/values of both
// streams. The fused path writes k/v right after the text rows of one buffer, so k_und and
// k_gen (v_und, v_gen) are adjacent views that attention reads without a cat.
struct GenerationAttentionInputs {
  at::Tensor q_gen_SHD;
  at::Tensor k_und_SHD, v_und_SHD;
  at::Tensor k_gen_SHD, v_gen_SHD;
};

// One fused QKV GEMM and one q/k norm + rotary kernel; nullopt where the fused path does not
// apply (no fused weight, not CUDA, identity norms), and the caller projects as before.
std::optional<GenerationAttentionInputs> fused_generation_attention_inputs(
    const AttentionWeights& weights, const at::Tensor& gen_SE, const RotaryTables& gen_rotary,
    const TextKeyValues& text_kv, Precision precision);

}  // namespace cosmos3::model
