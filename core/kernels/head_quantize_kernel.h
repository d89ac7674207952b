#pragma once
// Launcher of the e4m3 quantization of attention inputs with one scale per head group (the
// query heads sharing a key/value head), FlashAttention-3's FP8 layout. Like fused_kernels.h it
// takes raw device pointers and includes no torch or CUDA header.
//
// Shape legend: S rows (tokens), H heads, D head_dim, G head groups.

#include <cstdint>

namespace cosmos3::kernels {

struct QuantizeHeadGroupsArgs {
  const void* input_SHD = nullptr;   // bf16, contiguous
  void* values_SHD = nullptr;        // float8 e4m3, contiguous
  const float* descale_G = nullptr;  // amax / 448 of each group, computed before
  int64_t num_rows = 0;
  int64_t num_heads = 0;
  int64_t head_dim = 0;  // a multiple of 8 (one 16-byte vector of bf16)
  int64_t num_groups = 0;
};

inline bool quantize_head_groups_supported(int64_t num_heads, int64_t head_dim,
                                           int64_t num_groups) {
  return head_dim > 0 && head_dim % 8 == 0 && num_groups > 0 && num_heads % num_groups == 0;
}

// values = clamp(x / descale of its head's group, +-448), rounded to nearest e4m3.
int launch_quantize_head_groups_e4m3(const QuantizeHeadGroupsArgs& args, void* stream);

}  // namespace cosmos3::kernels
