#pragma once
// A weight source that remembers every tensor it hands out, so a model built from random
// weights can be written to disk as a real checkpoint (the embedded tiny checkpoint): the
// loader decides which tensors exist and their shapes, so the file always matches the config.

#include "core/model/weight_source.h"

#include <utility>
#include <vector>

namespace cosmos3::model {

class RecordingWeightSource : public WeightSource {
 public:
  explicit RecordingWeightSource(WeightSource& inner) : inner_(inner) {}

  bool contains(const std::string& name) const override { return inner_.contains(name); }

  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  ShardRole role) override {
    at::Tensor tensor = inner_.load(name, full_shape, role);
    recorded_.emplace_back(name, tensor);
    return tensor;
  }

  // In the order the loader asked for them.
  const std::vector<std::pair<std::string, at::Tensor>>& recorded() const { return recorded_; }

 private:
  WeightSource& inner_;
  std::vector<std::pair<std::string, at::Tensor>> recorded_;
};

}  // namespace cosmos3::model
