#pragma once
// Megatron tensor parallelism at load time: each rank reads only its slice of every split
// weight from the mmapped safetensors (Checkpoint::load_slice), never the whole tensor, so a
// rank's host memory holds about 1/tp of the layer weights.
//
// Column weights (q/k/v, gate/up) split their output features by head or MLP channel; row
// weights (out, down) split their input features. Heads split evenly; MLP channels may not
// (the first ranks take one more). When tp exceeds the KV heads, the k/v
// projections are replicated: each rank reads the one KV head its query heads are grouped with.

#include "core/model/transformer_config.h"
#include "core/model/weight_source.h"

#include <string>
#include <vector>

namespace cosmos3::parallel {

// The part of a weight one tensor-parallel rank holds: `length` rows (dim 0) or columns (dim 1)
// from `start`, or the whole tensor (dim -1) for replicated weights.
struct TensorParallelSlice {
  int64_t dim = -1;
  int64_t start = 0;
  int64_t length = 0;

  std::vector<int64_t> shape_of(const std::vector<int64_t>& full_shape) const;
};

// Rank `tp_rank`'s slice of the weight `name` of shape `full_shape`; `config` must already have
// passed plan_head_layout for this tp degree.
TensorParallelSlice tensor_parallel_slice(const std::string& name,
                                          const std::vector<int64_t>& full_shape,
                                          model::ShardRole role,
                                          const model::TransformerConfig& config, int64_t tp_rank,
                                          int64_t tp);

class TensorParallelWeightSource : public model::WeightSource {
 public:
  // `config` must already have passed plan_head_layout for this tp degree.
  TensorParallelWeightSource(const safetensors::Checkpoint& checkpoint,
                             const model::TransformerConfig& config, int64_t tp_rank, int64_t tp);

  bool contains(const std::string& name) const override { return checkpoint_.contains(name); }
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override;

  // Bytes read from the checkpoint so far: what this rank's slices cost.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  const safetensors::Checkpoint& checkpoint_;
  model::TransformerConfig config_;
  int64_t tp_rank_;
  int64_t tp_;
  int64_t bytes_read_ = 0;
};

}  // namespace cosmos3::parallel
