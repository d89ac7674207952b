#include "parallel/engine/parallel_seams.h"

#include <ATen/ops/equal.h>

namespace cosmos3::parallel {

ParallelSeams::ParallelSeams(const RankMesh& mesh, bool cache_text)
    : tp_(*mesh.tp),
      cp_(*mesh.cp),
      context_attention_(*mesh.ulysses, *mesh.ring),
      cache_text_(cache_text) {}

at::Tensor ParallelSeams::attend_generation(int64_t layer_index, const at::Tensor& q_gen_SHD,
                                            const at::Tensor& k_und_SHD,
                                            const at::Tensor& v_und_SHD,
                                            const at::Tensor& k_gen_SHD,
                                            const at::Tensor& v_gen_SHD,
                                            model::Precision precision) {
  if (cp_.size() == 1) {
    return ModelSeams::attend_generation(layer_index, q_gen_SHD, k_und_SHD, v_und_SHD, k_gen_SHD,
                                         v_gen_SHD, precision);
  }
  return context_attention_.attend(q_gen_SHD, k_und_SHD, v_und_SHD, k_gen_SHD, v_gen_SHD,
                                   precision);
}

at::Tensor ParallelSeams::reduce_row_parallel(const at::Tensor& partial_SE) {
  if (tp_.size() == 1) {
    return partial_SE;
  }
  at::Tensor total_SE = partial_SE.contiguous();
  // Partial sums over this rank's input features -> their total: [S, E] -> [S, E]
  tp_.all_reduce_sum(total_SE);
  return total_SE;
}

bool ParallelSeams::same_prompt(const model::StreamState& streams) const {
  return cached_und_SE_.defined() && cached_und_SE_.sizes() == streams.und_SE.sizes() &&
         at::equal(cached_und_SE_, streams.und_SE) &&
         at::equal(cached_und_cos_SD_, streams.und_rotary.cos_SD);
}

model::StreamState ParallelSeams::shard_streams(model::StreamState streams) {
  if (cache_text_ && !same_prompt(streams)) {
    // A new prompt: forget the old text K/V and remember which prompt the new ones belong to.
    text_kv_per_layer_.clear();
    cache_complete_ = false;
    cached_und_SE_ = streams.und_SE.clone();
    cached_und_cos_SD_ = streams.und_rotary.cos_SD.clone();
  }
  if (cache_complete_) {
    ++num_cached_forwards_;
  }
  split_ = split_sequence(streams.gen_SE.size(0), cp_.size());
  if (cp_.size() == 1) {
    return streams;
  }
  context_attention_.set_split(split_);
  const int64_t offset = split_.offsets[cp_.rank()];
  const int64_t length = split_.lengths[cp_.rank()];
  streams.gen_SE = streams.gen_SE.slice(0, offset, offset + length);
  streams.gen_rotary.cos_SD = streams.gen_rotary.cos_SD.slice(0, offset, offset + length);
  streams.gen_rotary.sin_SD = streams.gen_rotary.sin_SD.slice(0, offset, offset + length);
  return streams;
}

model::StreamState ParallelSeams::gather_streams(model::StreamState streams) {
  if (cache_text_ && !text_kv_per_layer_.empty()) {
    cache_complete_ = true;
  }
  if (cp_.size() == 1) {
    return streams;
  }
  // The generation stream whole again: [S_loc, E] on each rank -> [S_gen, E] on every rank.
  streams.gen_SE = cp_.all_gather(streams.gen_SE.contiguous(), split_.lengths);
  return streams;
}

const model::TextKeyValues* ParallelSeams::cached_text_key_values(int64_t layer_index) {
  if (!cache_complete_) {
    return nullptr;
  }
  TORCH_CHECK(layer_index < static_cast<int64_t>(text_kv_per_layer_.size()),
              "text K/V cache holds ", text_kv_per_layer_.size(), " layers, asked for ",
              layer_index);
  return &text_kv_per_layer_[layer_index];
}

void ParallelSeams::offer_text_key_values(int64_t layer_index, const model::TextKeyValues& kv) {
  if (!cache_text_ || cache_complete_) {
    return;
  }
  TORCH_CHECK(layer_index == static_cast<int64_t>(text_kv_per_layer_.size()),
              "text K/V offered out of layer order");
  text_kv_per_layer_.push_back(kv);
}

}  // namespace cosmos3::parallel
