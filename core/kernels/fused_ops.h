#pragma once
// The dispatch layer of the fused CUDA kernels: each try_* runs its kernel when the build has
// the kernels, the fused path is enabled, and the tensors are CUDA fp32/bf16 tensors of a
// supported shape and layout; otherwise it returns nullopt and the caller takes its ATen path
// (always the case on the CPU, so the CPU numerics never change).
//
// Shape legend: S rows (tokens), C channels, H heads (Hq query, Hkv key/value), D head_dim,
// I MLP inner width, X a fused projection's output width.

#include "core/kernels/fused_kernels.h"

#include <ATen/core/Tensor.h>

#include <optional>

namespace cosmos3::kernels {

// Whether this build compiled the CUDA kernels (nvcc was found, COSMOS3_CUDA_KERNELS=ON).
bool cuda_kernels_built();

// A process-wide switch, so one program can run and compare the fused and the unfused path on
// the same model. On by default; the environment variable COSMOS3_FUSED_KERNELS=0 turns it off.
bool fused_path_enabled();
void set_fused_path_enabled(bool enabled);

// True when the kernels are built and enabled and `tensor` is a CUDA fp32 or bf16 tensor.
bool fused_path_applies(const at::Tensor& tensor);

struct RmsNormParams {
  at::Tensor weight;  // [C] or [D], in the input's dtype
  double eps = 1e-6;
  RmsFlavor flavor = RmsFlavor::kDiffusers;
};

struct SumAndNormed {
  at::Tensor sum_SC;  // residual + delta (the residual itself when delta is undefined)
  at::Tensor normed_SC;
};

// residual + delta (rounded to the dtype) and its RMSNorm in one pass; `delta_SC` may be
// undefined for a plain RMSNorm.
std::optional<SumAndNormed> try_add_rms_norm(const at::Tensor& residual_SC,
                                             const at::Tensor& delta_SC, const RmsNormParams& norm);

// qkv_SX: rows [Hq q heads | Hkv k heads | Hkv v heads] of one fused projection (a row-strided
// view is fine). Normalizes and rotates q and k, writes k into k_out_SHD and copies v into
// v_out_SHD (contiguous, e.g. rows of a buffer that already holds the text keys), and returns
// q as a new contiguous [S, Hq, D].
std::optional<at::Tensor> try_qk_norm_rope(const at::Tensor& qkv_SX, int64_t num_q_heads,
                                           int64_t num_kv_heads, int64_t head_dim,
                                           const RmsNormParams& q_norm, const RmsNormParams& k_norm,
                                           const at::Tensor& cos_SD, const at::Tensor& sin_SD,
                                           const at::Tensor& k_out_SHD,
                                           const at::Tensor& v_out_SHD);

// gate_up_SX: rows [gate (I) | up (I)] -> silu(gate) * up, [S, I].
std::optional<at::Tensor> try_silu_times_up(const at::Tensor& gate_up_SX, int64_t inner);
// up_SI -> relu(up)^2, [S, I].
std::optional<at::Tensor> try_relu2(const at::Tensor& up_SI);

struct QuantizedRows {
  at::Tensor values_SC;  // float8 e4m3
  at::Tensor scale_S1;   // fp32 [S, 1], the row's amax / 448
};

// Rowwise e4m3 quantization of bf16 rows for at::_scaled_mm, in one pass; the ATen fallback
// is fp8_linear.cpp's.
std::optional<QuantizedRows> try_quantize_rows_e4m3(const at::Tensor& input_SC);

}  // namespace cosmos3::kernels
