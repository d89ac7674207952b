#include "core/model/random_weight_source.h"

#include <ATen/Context.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/randn.h>

#include <cmath>

namespace cosmos3::model {

RandomWeightSource::RandomWeightSource(c10::Device device, c10::ScalarType dtype, uint64_t seed)
    : device_(device), dtype_(dtype) {
  at::manual_seed(seed);
}

at::Tensor RandomWeightSource::load(const std::string& name, const std::vector<int64_t>& full_shape,
                                    ShardRole) {
  const at::Tensor values =
      at::randn(full_shape, at::TensorOptions().device(device_).dtype(dtype_));
  if (name.find("norm") != std::string::npos) {
    return values * 0.1 + 1;
  }
  if (full_shape.size() == 2 && name.find("embed_tokens") == std::string::npos) {
    return values * (1.0 / std::sqrt(static_cast<double>(full_shape[1])));
  }
  return values * 0.1;
}

}  // namespace cosmos3::model
