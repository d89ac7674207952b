#pragma once
// The points where parallel/ changes how the model runs without the model knowing about ranks:
// the attention kernels, the reduction after row-parallel projections, and the split of the
// generation stream over the sequence. The base class is the single-rank behaviour.
//
// Shape legend: S tokens (S_und text, S_gen generation), Hq query heads, Hkv key/value heads,
// D head_dim, E hidden size.

#include "core/model/layers.h"
#include "core/model/precision.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::model {

// Both streams of one forward with their rotary tables, as they enter the decoder layers.
struct StreamState {
  at::Tensor und_SE;
  at::Tensor gen_SE;
  RotaryTables und_rotary;
  RotaryTables gen_rotary;
  // The generation tower's GEMMs; the text tower always runs in the model dtype.
  Precision gen_precision = Precision::kBf16;
};

// One layer's text keys and values as the generation stream sees them (after
// k_norm_und_for_gen and rotary): k/v [S_und, Hkv, D] with the rank's local heads.
struct TextKeyValues {
  at::Tensor k_SHD;
  at::Tensor v_SHD;
};

class ModelSeams {
 public:
  virtual ~ModelSeams() = default;

  // Causal self-attention of the text stream: q [S_und, Hq, D], k/v [S_und, Hkv, D]
  // -> [S_und, Hq, D]. GQA is passed to SDPA as is: no KV expansion, no mask.
  virtual at::Tensor attend_understanding(int64_t layer_index, const at::Tensor& q_SHD,
                                          const at::Tensor& k_SHD, const at::Tensor& v_SHD);

  // Generation queries attend to cat(text keys, generation keys) without a mask:
  // q_gen [S_gen, Hq, D], k/v_und [S_und, Hkv, D], k/v_gen [S_gen, Hkv, D] -> [S_gen, Hq, D].
  // `precision` is the forward's: FP8 forwards may run an FP8 attention kernel.
  virtual at::Tensor attend_generation(int64_t layer_index, const at::Tensor& q_gen_SHD,
                                       const at::Tensor& k_und_SHD, const at::Tensor& v_und_SHD,
                                       const at::Tensor& k_gen_SHD, const at::Tensor& v_gen_SHD,
                                       Precision precision);

  // Partial sums of a row-parallel projection -> their total over tensor-parallel ranks.
  virtual at::Tensor reduce_row_parallel(const at::Tensor& partial_SE) { return partial_SE; }

  // Before the decoder layers: each rank keeps its share of the streams (identity here).
  virtual StreamState shard_streams(StreamState streams) { return streams; }
  // After the final norms: the whole streams again, on every rank (identity here).
  virtual StreamState gather_streams(StreamState streams) { return streams; }

  // The text stream never attends to generation tokens and carries no timestep, so its per-layer
  // K/V depend on the prompt alone and can be reused across denoising steps. Seams that cache
  // return them here for every layer (never for some layers only); the model then skips the
  // text stream, whose output no prediction reads. Default: nothing cached.
  virtual const TextKeyValues* cached_text_key_values(int64_t /*layer_index*/) { return nullptr; }
  // Called with each layer's text K/V whenever the model computed them.
  virtual void offer_text_key_values(int64_t /*layer_index*/, const TextKeyValues& /*kv*/) {}
};

// Scaled dot-product attention of [S, H, D] tensors with grouped KV heads. Non-causal
// attention on a Hopper GPU runs FlashAttention-3 where its library is installed
// (core/kernels/flash_attention3.h), in FP8 for FP8 forwards unless COSMOS3_FP8_ATTENTION=0;
// everything else runs SDPA (cuDNN on the GPU).
at::Tensor grouped_attention(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                             const at::Tensor& v_SHD, bool is_causal,
                             Precision precision = Precision::kBf16);

// One attention block: both pathways' projections, norms, rotary and output projections,
// with the kernels and reductions taken from `seams`. Returns {und_SE, gen_SE}; und_SE is
// undefined when `seams` supplied this layer's cached text K/V (the text stream is skipped).
std::pair<at::Tensor, at::Tensor> attention_block(const AttentionWeights& weights,
                                                  const StreamState& normed_streams,
                                                  int64_t layer_index, ModelSeams& seams);

// A projection whose input features are split over tensor-parallel ranks: the bias is added
// once, after the partial sums are reduced.
at::Tensor apply_row_parallel(const Linear& linear, const at::Tensor& input, ModelSeams& seams);

}  // namespace cosmos3::model
