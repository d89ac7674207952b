#pragma once
// Random weights of the shapes one tensor-parallel rank holds, made directly on its device: a
// rank of a full-size model without a checkpoint, for benchmarks. The shapes come from the same
// slicing rules as TensorParallelWeightSource; the values are each rank's own draw, so the
// ranks' slices do not form one model, which timing does not care about.

#include "core/model/random_weight_source.h"
#include "core/model/transformer_config.h"

namespace cosmos3::parallel {

class RandomRankWeightSource : public model::WeightSource {
 public:
  // `config` must already have passed plan_head_layout for this tp degree.
  RandomRankWeightSource(const model::TransformerConfig& config, int64_t tp_rank, int64_t tp,
                         c10::Device device, c10::ScalarType dtype, uint64_t seed);

  bool contains(const std::string& name) const override { return random_.contains(name); }
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override;

  // Bytes of the weights made so far: this rank's share of the model.
  int64_t num_bytes_made() const { return num_bytes_made_; }

 private:
  model::RandomWeightSource random_;
  model::TransformerConfig config_;
  int64_t tp_rank_;
  int64_t tp_;
  int64_t num_bytes_made_ = 0;
};

}  // namespace cosmos3::parallel
