#pragma once
// The model seams of one rank of a cfg x tp x cp layout: row-parallel reductions over tp, the
// generation stream split over cp (the text stream replicated), and the text stream's per-layer
// K/V cached once per prompt. One object per CFG branch: the cache belongs to its prompt.
//
// Shape legend: S_gen generation tokens, S_loc this rank's share, S_und text tokens, E hidden,
// H heads, D head_dim.

#include "core/model/model_seams.h"
#include "parallel/engine/context_parallel_attention.h"
#include "parallel/engine/rank_mesh.h"

#include <optional>
#include <vector>

namespace cosmos3::parallel {

class ParallelSeams : public model::ModelSeams {
 public:
  // `cache_text` off computes the text stream in every forward (for tests and debugging).
  explicit ParallelSeams(const RankMesh& mesh, bool cache_text = true);

  at::Tensor attend_generation(int64_t layer_index, const at::Tensor& q_gen_SHD,
                               const at::Tensor& k_und_SHD, const at::Tensor& v_und_SHD,
                               const at::Tensor& k_gen_SHD, const at::Tensor& v_gen_SHD,
                               model::Precision precision) override;
  at::Tensor reduce_row_parallel(const at::Tensor& partial_SE) override;
  model::StreamState shard_streams(model::StreamState streams) override;
  model::StreamState gather_streams(model::StreamState streams) override;
  const model::TextKeyValues* cached_text_key_values(int64_t layer_index) override;
  void offer_text_key_values(int64_t layer_index, const model::TextKeyValues& kv) override;

  // Forwards that reused the cached text stream: a check that caching happened.
  int64_t num_cached_forwards() const { return num_cached_forwards_; }

 private:
  bool same_prompt(const model::StreamState& streams) const;

  Communicator& tp_;
  Communicator& cp_;
  ContextParallelAttention context_attention_;
  SequenceSplit split_;
  bool cache_text_;
  // The prompt the cache belongs to: its embedded text and text rotary table.
  at::Tensor cached_und_SE_;
  at::Tensor cached_und_cos_SD_;
  std::vector<model::TextKeyValues> text_kv_per_layer_;
  bool cache_complete_ = false;
  int64_t num_cached_forwards_ = 0;
};

}  // namespace cosmos3::parallel
