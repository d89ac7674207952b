#pragma once
// FlashAttention-3's Hopper forward kernels as the generation attention's kernel. They come
// from the fa3-fwd wheel (a build of FlashAttention-3's forward path whose library registers
// the torch operator fa3_fwd::fwd), loaded at run time: builds and machines without it, CPUs,
// and GPUs it does not support keep cuDNN SDPA through ATen. On an H200 at our shapes it runs
// the bf16 attention 16-17 % faster than cuDNN SDPA, and offers an FP8 (e4m3) attention
// (benchmarks/results/attention_kernels_h200.md).
//
// Where the library is looked for: $COSMOS3_FA3_LIBRARY (a path to its .so; an unloadable path
// is a ConfigError), else fa3_fwd/_C*.so beside the torch package (the same Python
// environment) or in a $PYTHONPATH folder. $COSMOS3_ATTENTION=sdpa turns it off.
//
// Shape legend: S tokens (Sq queries, Sk keys), Hq query heads, Hkv key/value heads, D head_dim.

#include <ATen/core/Tensor.h>

#include <optional>
#include <string>

namespace cosmos3::kernels {

enum class AttentionArithmetic {
  kModelDtype,  // bf16 in, bf16 out: the exact path
  kFp8,         // q, k, v quantized to e4m3 with one scale per key/value head group
};

// Whether FlashAttention-3 is used, and if not why ("found at PATH", "not found: ...").
std::string flash_attention3_status();

// A process-wide switch, so one program can compare it with SDPA on the same model.
// On when the library is found, unless COSMOS3_ATTENTION=sdpa.
bool flash_attention3_enabled();
void set_flash_attention3_enabled(bool enabled);

// Non-causal attention of q [Sq, Hq, D] over k/v [Sk, Hkv, D] -> [Sq, Hq, D] in q's dtype, or
// nullopt where FlashAttention-3 does not apply (not loaded or switched off, not a CUDA bf16
// tensor, head_dim over 256 or not a multiple of 8, or the library refused its first call, as
// on a GPU that is not a Hopper). Then the caller runs SDPA.
std::optional<at::Tensor> try_flash_attention3(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                                               const at::Tensor& v_SHD,
                                               AttentionArithmetic arithmetic);

struct QuantizedHeads {
  at::Tensor values_SHD;  // float8 e4m3
  at::Tensor descale_1G;  // fp32 [1, Hkv]: amax / 448 of each key/value head group
};

// [S, H, D] -> e4m3 with one scale per group of H / num_groups consecutive heads (the query
// heads that share a key/value head), as FlashAttention-3's FP8 path takes them.
QuantizedHeads quantize_head_groups_e4m3(const at::Tensor& x_SHD, int64_t num_groups);

}  // namespace cosmos3::kernels
