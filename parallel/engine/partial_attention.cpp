#include "parallel/engine/partial_attention.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_scaled_dot_product_efficient_attention.h>
#include <ATen/ops/_scaled_dot_product_flash_attention_for_cpu.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/log.h>
#include <ATen/ops/maximum.h>
#include <ATen/ops/to.h>

namespace cosmos3::parallel {
namespace {

// [Sq, Hq, D] -> [1, Hkv, G*Sq, D]: query head h = kv * G + g becomes row g*Sq + s of KV head
// kv, which every kernel treats as plain multi-head attention with Hkv heads.
at::Tensor fold_query_groups(const at::Tensor& q_SHD, int64_t num_kv_heads) {
  const int64_t num_tokens = q_SHD.size(0);
  const int64_t group = q_SHD.size(1) / num_kv_heads;
  return q_SHD.view({num_tokens, num_kv_heads, group, q_SHD.size(2)})
      .permute({1, 2, 0, 3})
      .reshape({1, num_kv_heads, group * num_tokens, q_SHD.size(2)});
}

// [1, Hkv, G*Sq, ...] -> [Sq, Hq, ...], the inverse of fold_query_groups.
at::Tensor unfold_query_groups(const at::Tensor& folded, int64_t num_tokens) {
  const int64_t num_kv_heads = folded.size(1);
  const int64_t group = folded.size(2) / num_tokens;
  std::vector<int64_t> shape{num_kv_heads, group, num_tokens};
  std::vector<int64_t> order{2, 0, 1};
  if (folded.dim() == 4) {
    shape.push_back(folded.size(3));
    order.push_back(3);
  }
  return folded.view(shape)
      .permute(order)
      .reshape({num_tokens, num_kv_heads * group, -1})
      .squeeze(-1);
}

at::Tensor heads_first(const at::Tensor& x_SHD) { return x_SHD.permute({1, 0, 2}).unsqueeze(0); }

}  // namespace

PartialAttention attend_block(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                              const at::Tensor& v_SHD) {
  TORCH_CHECK(q_SHD.size(1) % k_SHD.size(1) == 0, "query heads must group over KV heads");
  const int64_t num_tokens = q_SHD.size(0);
  const at::Tensor q_folded = fold_query_groups(q_SHD, k_SHD.size(1));
  const at::Tensor k_1HSD = heads_first(k_SHD);
  const at::Tensor v_1HSD = heads_first(v_SHD);
  at::Tensor out_folded;
  at::Tensor lse_folded;
  if (q_SHD.is_cuda()) {
    // Memory-efficient attention pads the log-sum-exp rows to its tile size; keep the real ones.
    auto [out, lse, seed, offset] = at::_scaled_dot_product_efficient_attention(
        q_folded, k_1HSD, v_1HSD, /*attn_bias=*/std::nullopt, /*compute_log_sumexp=*/true);
    out_folded = out;
    lse_folded = lse.slice(2, 0, q_folded.size(2));
  } else {
    std::tie(out_folded, lse_folded) =
        at::_scaled_dot_product_flash_attention_for_cpu(q_folded, k_1HSD, v_1HSD);
  }
  return PartialAttention{unfold_query_groups(out_folded, num_tokens),
                          unfold_query_groups(lse_folded.to(at::kFloat), num_tokens)};
}

void merge_partial(PartialAttention& total, const PartialAttention& block) {
  if (!total.out_SHD.defined()) {
    total = PartialAttention{block.out_SHD.to(at::kFloat), block.lse_SH};
    return;
  }
  // out = (e^lse_a out_a + e^lse_b out_b) / (e^lse_a + e^lse_b), shifted by the larger lse so
  // neither exponent overflows; accumulated in fp32.
  const at::Tensor max_SH = at::maximum(total.lse_SH, block.lse_SH);
  const at::Tensor weight_total_SH = at::exp(total.lse_SH - max_SH);
  const at::Tensor weight_block_SH = at::exp(block.lse_SH - max_SH);
  const at::Tensor sum_SH = weight_total_SH + weight_block_SH;
  const at::Tensor merged_SHD = (total.out_SHD.to(at::kFloat) * weight_total_SH.unsqueeze(-1) +
                                 block.out_SHD.to(at::kFloat) * weight_block_SH.unsqueeze(-1)) /
                                sum_SH.unsqueeze(-1);
  total.out_SHD = merged_SHD;
  total.lse_SH = max_SH + at::log(sum_SH);
}

}  // namespace cosmos3::parallel
