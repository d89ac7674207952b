#pragma once
// Launchers of the fused CUDA kernels of the transformer's hot path. They take raw device
// pointers and a cudaStream_t passed as void*, and include no torch or CUDA header, so the
// dispatch layer (fused_ops.cpp) compiles as plain C++ and nothing needs libtorch_cuda.
// Every launcher returns a cudaError_t as int (0 = success); kernel_error_text names it.
//
// Each kernel reproduces the reference's rounding points: values are carried in fp32 and
// rounded to the element type exactly where the ATen path stores an intermediate tensor.
//
// Shape legend: S rows (tokens), C channels, H heads, D head_dim, I MLP inner width.

#include <cstdint>

namespace cosmos3::kernels {

enum class ElementType { kFloat32, kBFloat16 };

// kDiffusers: the fp32 normalized value is rounded to the (half-precision) weight type before
// the weight multiply. kNemotron: the weight multiplies in fp32, one rounding at the end.
enum class RmsFlavor { kDiffusers, kNemotron };

struct AddRmsNormArgs {
  ElementType type = ElementType::kBFloat16;
  RmsFlavor flavor = RmsFlavor::kDiffusers;
  const void* residual_SC = nullptr;
  const void* delta_SC = nullptr;  // null: plain RMSNorm of residual_SC
  void* sum_SC = nullptr;          // residual + delta, rounded; unused without delta
  void* normed_SC = nullptr;
  const void* weight_C = nullptr;
  int64_t num_rows = 0;
  int64_t num_channels = 0;
  float eps = 1e-6f;
};

inline int64_t element_bytes(ElementType type) { return type == ElementType::kFloat32 ? 4 : 2; }

// Rows are contiguous and pointers 16-byte aligned; a row is at most 4096 16-byte vectors
// (8 per thread of 512), which covers every family's hidden size.
inline bool add_rms_norm_supported(ElementType type, int64_t num_channels) {
  const int64_t width = 16 / element_bytes(type);
  return num_channels > 0 && num_channels % width == 0 && num_channels / width <= 8 * 512;
}
int launch_add_rms_norm(const AddRmsNormArgs& args, void* stream);

struct QkNormRopeArgs {
  ElementType type = ElementType::kBFloat16;
  RmsFlavor flavor = RmsFlavor::kDiffusers;
  const void* qkv_SX = nullptr;  // rows [q heads | k heads | v heads], row stride in elements
  int64_t qkv_row_stride = 0;
  int64_t num_rows = 0;
  int64_t num_q_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;
  const void* q_weight_D = nullptr;
  const void* k_weight_D = nullptr;
  float q_eps = 1e-6f;
  float k_eps = 1e-6f;
  const void* cos_SD = nullptr;  // contiguous [S, D]
  const void* sin_SD = nullptr;
  void* q_SHD = nullptr;  // contiguous [S, Hq, D]
  void* k_SHD = nullptr;  // contiguous [S, Hkv, D]
  void* v_SHD = nullptr;  // contiguous [S, Hkv, D]: a copy of the v heads
};

// One warp per head: head_dim / 32 elements a lane, and rotate_half's partner 16 lanes away.
inline bool qk_norm_rope_supported(int64_t head_dim) {
  return head_dim == 64 || head_dim == 128 || head_dim == 256;
}
int launch_qk_norm_rope(const QkNormRopeArgs& args, void* stream);

enum class GatedActivation { kSiluTimesUp, kRelu2 };

struct ActivationArgs {
  ElementType type = ElementType::kBFloat16;
  GatedActivation activation = GatedActivation::kSiluTimesUp;
  // kSiluTimesUp: rows [gate (I) | up (I)]; kRelu2: rows [up (I)]. Row stride in elements.
  const void* input_SX = nullptr;
  int64_t input_row_stride = 0;
  void* output_SI = nullptr;  // contiguous [S, I]
  int64_t num_rows = 0;
  int64_t inner = 0;
};

// Input rows 16-byte aligned; inner a whole number of 16-byte vectors.
inline bool activation_supported(ElementType type, int64_t inner) {
  return inner > 0 && inner % (16 / element_bytes(type)) == 0;
}
int launch_activation(const ActivationArgs& args, void* stream);

struct QuantizeRowsArgs {
  const void* input_SC = nullptr;  // bf16, contiguous rows
  void* values_SC = nullptr;       // float8 e4m3 (one byte each)
  float* scale_S = nullptr;        // max(amax(|row|), 1e-12) / 448, fp32
  int64_t num_rows = 0;
  int64_t num_channels = 0;
};

// bf16 rows of whole 16-byte vectors, at most 4096 of them.
inline bool quantize_rows_supported(int64_t num_channels) {
  return add_rms_norm_supported(ElementType::kBFloat16, num_channels);
}
// Rowwise e4m3 quantization for at::_scaled_mm: values = clamp(row / scale, +-448), rounded.
int launch_quantize_rows_e4m3(const QuantizeRowsArgs& args, void* stream);

const char* kernel_error_text(int error);

}  // namespace cosmos3::kernels
