#pragma once
// Random weights of the right shapes, made directly on the target device: full-size models
// for benchmarks and tests without a checkpoint on disk.

#include "core/model/weight_source.h"

namespace cosmos3::model {

class RandomWeightSource : public WeightSource {
 public:
  RandomWeightSource(c10::Device device, c10::ScalarType dtype, uint64_t seed);
  bool contains(const std::string&) const override { return true; }
  // Norm weights near 1 and embeddings of unit scale; matrices scaled by 1/sqrt(fan_in) so
  // activations keep their size through many layers.
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  ShardRole role) override;

 private:
  c10::Device device_;
  c10::ScalarType dtype_;
};

}  // namespace cosmos3::model
