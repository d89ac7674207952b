#include "core/model/model_seams.h"

#include "core/kernels/flash_attention3.h"
#include "core/model/fp8_linear.h"
#include "core/model/fused_layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/scaled_dot_product_attention.h>

#include <cstdlib>
#include <cstring>
#include <tuple>
#include <vector>

namespace cosmos3::model {
namespace {

// [S, in] -> [S, H, D], with H read from the weight so tensor-parallel slices give local heads.
at::Tensor project_heads(const Linear& linear, const at::Tensor& input, int64_t head_dim) {
  return apply_linear(linear, input).view({input.size(0), -1, head_dim});
}

// cat(first, second) along rows; a view instead when `second` already follows `first` in one
// buffer, as the fused path writes the generation keys and values.
at::Tensor concat_rows(const at::Tensor& first, const at::Tensor& second) {
  const bool adjacent = first.is_contiguous() && second.is_contiguous() &&
                        first.dim() == second.dim() && first.numel() > 0 && second.numel() > 0 &&
                        first.sizes().slice(1) == second.sizes().slice(1) &&
                        first.scalar_type() == second.scalar_type() &&
                        first.storage().is_alias_of(second.storage()) &&
                        static_cast<const char*>(first.const_data_ptr()) + first.nbytes() ==
                            static_cast<const char*>(second.const_data_ptr());
  if (!adjacent) {
    return at::cat({first, second}, 0);
  }
  std::vector<int64_t> sizes = first.sizes().vec();
  sizes[0] += second.size(0);
  return first.as_strided(sizes, first.strides(), first.storage_offset());
}

// FP8 forwards quantize the attention inputs too, unless COSMOS3_FP8_ATTENTION=0 keeps the
// attention in the model dtype (to compare the two deviations).
kernels::AttentionArithmetic attention_arithmetic(Precision precision) {
  static const bool fp8_attention = [] {
    const char* value = std::getenv("COSMOS3_FP8_ATTENTION");
    return value == nullptr || std::strcmp(value, "0") != 0;
  }();
  return precision == Precision::kFp8 && fp8_attention ? kernels::AttentionArithmetic::kFp8
                                                       : kernels::AttentionArithmetic::kModelDtype;
}

}  // namespace

at::Tensor grouped_attention(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                             const at::Tensor& v_SHD, bool is_causal, Precision precision) {
  if (!is_causal) {
    if (auto out =
            kernels::try_flash_attention3(q_SHD, k_SHD, v_SHD, attention_arithmetic(precision))) {
      return *out;
    }
  }
  // SDPA wants [B, H, S, D]; the permuted views cost no copy.
  const at::Tensor out_1HSD = at::scaled_dot_product_attention(
      q_SHD.permute({1, 0, 2}).unsqueeze(0), k_SHD.permute({1, 0, 2}).unsqueeze(0),
      v_SHD.permute({1, 0, 2}).unsqueeze(0), /*attn_mask=*/std::nullopt, /*dropout_p=*/0.0,
      is_causal, /*scale=*/std::nullopt, /*enable_gqa=*/true);
  return out_1HSD.squeeze(0).permute({1, 0, 2});
}

at::Tensor ModelSeams::attend_understanding(int64_t, const at::Tensor& q_SHD,
                                            const at::Tensor& k_SHD, const at::Tensor& v_SHD) {
  return grouped_attention(q_SHD, k_SHD, v_SHD, /*is_causal=*/true);
}

at::Tensor ModelSeams::attend_generation(int64_t, const at::Tensor& q_gen_SHD,
                                         const at::Tensor& k_und_SHD, const at::Tensor& v_und_SHD,
                                         const at::Tensor& k_gen_SHD, const at::Tensor& v_gen_SHD,
                                         Precision precision) {
  return grouped_attention(q_gen_SHD, concat_rows(k_und_SHD, k_gen_SHD),
                           concat_rows(v_und_SHD, v_gen_SHD), /*is_causal=*/false, precision);
}

at::Tensor apply_row_parallel(const Linear& linear, const at::Tensor& input, ModelSeams& seams) {
  at::Tensor output = seams.reduce_row_parallel(at::linear(input, linear.weight));
  return linear.bias.defined() ? output + linear.bias : output;
}

namespace {

// The causal text pathway: its attention output [S_und, E] and its K/V for the generation
// pathway.
std::pair<at::Tensor, TextKeyValues> text_attention(const AttentionWeights& weights,
                                                    const at::Tensor& und_SE,
                                                    const RotaryTables& und_rotary,
                                                    int64_t layer_index, ModelSeams& seams) {
  const int64_t head_dim = weights.head_dim;
  at::Tensor q_und = apply_norm(weights.norm_q, project_heads(weights.to_q, und_SE, head_dim));
  at::Tensor k_und = apply_norm(weights.norm_k, project_heads(weights.to_k, und_SE, head_dim));
  const at::Tensor v_und = project_heads(weights.to_v, und_SE, head_dim);
  at::Tensor k_und_for_gen = apply_norm(weights.k_norm_und_for_gen, k_und);
  q_und = apply_rotary(q_und, und_rotary.cos_SD, und_rotary.sin_SD);
  k_und = apply_rotary(k_und, und_rotary.cos_SD, und_rotary.sin_SD);
  k_und_for_gen = weights.k_norm_und_for_gen.kind == NormKind::kIdentity
                      ? k_und
                      : apply_rotary(k_und_for_gen, und_rotary.cos_SD, und_rotary.sin_SD);
  const at::Tensor und_attended = seams.attend_understanding(layer_index, q_und, k_und, v_und);
  return {apply_row_parallel(weights.to_out, und_attended.flatten(1), seams),
          TextKeyValues{k_und_for_gen, v_und}};
}

}  // namespace

std::pair<at::Tensor, at::Tensor> attention_block(const AttentionWeights& weights,
                                                  const StreamState& normed_streams,
                                                  int64_t layer_index, ModelSeams& seams) {
  const int64_t head_dim = weights.head_dim;
  at::Tensor und_out;
  TextKeyValues text_kv;
  if (const TextKeyValues* cached = seams.cached_text_key_values(layer_index)) {
    text_kv = *cached;
  } else {
    std::tie(und_out, text_kv) = text_attention(weights, normed_streams.und_SE,
                                                normed_streams.und_rotary, layer_index, seams);
    seams.offer_text_key_values(layer_index, text_kv);
  }

  const at::Tensor& gen_SE = normed_streams.gen_SE;
  const RotaryTables& gen_rotary = normed_streams.gen_rotary;
  GenerationAttentionInputs gen_inputs;
  const Precision precision = normed_streams.gen_precision;
  if (auto fused =
          fused_generation_attention_inputs(weights, gen_SE, gen_rotary, text_kv, precision)) {
    gen_inputs = std::move(*fused);
  } else {
    gen_inputs.q_gen_SHD = apply_rotary(
        apply_norm(weights.norm_added_q, project_heads(weights.add_q_proj, gen_SE, head_dim)),
        gen_rotary.cos_SD, gen_rotary.sin_SD);
    gen_inputs.k_gen_SHD = apply_rotary(
        apply_norm(weights.norm_added_k, project_heads(weights.add_k_proj, gen_SE, head_dim)),
        gen_rotary.cos_SD, gen_rotary.sin_SD);
    gen_inputs.v_gen_SHD = project_heads(weights.add_v_proj, gen_SE, head_dim);
    gen_inputs.k_und_SHD = text_kv.k_SHD;
    gen_inputs.v_und_SHD = text_kv.v_SHD;
  }
  const at::Tensor gen_attended = seams.attend_generation(
      layer_index, gen_inputs.q_gen_SHD, gen_inputs.k_und_SHD, gen_inputs.v_und_SHD,
      gen_inputs.k_gen_SHD, gen_inputs.v_gen_SHD, precision);
  return {und_out, row_parallel_in(precision, weights.to_add_out, gen_attended.flatten(1), seams)};
}

}  // namespace cosmos3::model
