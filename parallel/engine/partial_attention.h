#pragma once
// Attention over one block of keys with its log-sum-exp, and the exact merge of such partial
// results: what ring attention needs when the keys are spread over ranks. GQA stays compact:
// the query heads of each KV group are folded into the query rows, so K/V are never expanded.
//
// Shape legend: Sq query tokens, Sk key tokens, Hq query heads, Hkv key/value heads, D head_dim.

#include <ATen/core/Tensor.h>

namespace cosmos3::parallel {

struct PartialAttention {
  at::Tensor out_SHD;  // [Sq, Hq, D], the block's softmax-weighted values
  at::Tensor lse_SH;   // [Sq, Hq] float32, log of the block's softmax denominator
};

// Non-causal attention of q [Sq, Hq, D] over k/v [Sk, Hkv, D]. Uses the device's kernel that
// returns the log-sum-exp: CPU flash attention, or CUDA memory-efficient attention.
PartialAttention attend_block(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                              const at::Tensor& v_SHD);

// Folds `block` into `total` as if both blocks' keys had been attended together. `total`
// accumulates in float32 (an undefined `total` starts from `block`), so bf16 blocks are rounded
// once, by the caller, not once per merge.
void merge_partial(PartialAttention& total, const PartialAttention& block);

}  // namespace cosmos3::parallel
