#include "core/vae/vae_weight_sources.h"

#include "core/errors.h"

#include <ATen/Context.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/randn.h>

#include <cmath>

namespace cosmos3::vae {

RandomVaeWeightSource::RandomVaeWeightSource(c10::Device device, c10::ScalarType dtype,
                                             uint64_t seed)
    : device_(device), dtype_(dtype) {
  at::manual_seed(seed);
}

at::Tensor RandomVaeWeightSource::load(const std::string& name,
                                       const std::vector<int64_t>& full_shape, model::ShardRole) {
  const at::Tensor values =
      at::randn(full_shape, at::TensorOptions().device(device_).dtype(dtype_));
  if (name.ends_with(".gamma")) {
    return values * 0.1 + 1;
  }
  if (full_shape.size() > 1) {
    int64_t fan_in = 1;
    for (size_t dim = 1; dim < full_shape.size(); ++dim) {
      fan_in *= full_shape[dim];
    }
    return values * (1.0 / std::sqrt(static_cast<double>(fan_in)));
  }
  return values * 0.1;
}

}  // namespace cosmos3::vae
