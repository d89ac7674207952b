#include "core/sound/sound_weight_sources.h"

#include "core/errors.h"

#include <ATen/Context.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/randn.h>

namespace cosmos3::sound {

RandomSoundWeightSource::RandomSoundWeightSource(c10::Device device, c10::ScalarType dtype,
                                                 uint64_t seed)
    : device_(device), dtype_(dtype) {
  at::manual_seed(seed);
}

bool RandomSoundWeightSource::contains(const std::string& name) const {
  // The decoder asks for weight-norm pairs first; a plain `.weight` never exists here.
  return !name.ends_with(".weight");
}

at::Tensor RandomSoundWeightSource::load(const std::string& name,
                                         const std::vector<int64_t>& full_shape, model::ShardRole) {
  const at::Tensor values =
      at::randn(full_shape, at::TensorOptions().device(device_).dtype(dtype_));
  if (name.ends_with(".weight_g")) {
    // The output conv is quieter, so a random soundtrack seldom reaches the [-1, 1] clamp.
    const double gain = name == "decoder.conv2.weight_g" ? 0.05 : 1.0;
    return (values * 0.05 + 1) * gain;
  }
  if (name.ends_with(".alpha") || name.ends_with(".beta")) {
    return values * 0.1;
  }
  if (name.ends_with(".weight_v")) {
    return values;
  }
  return values * 0.01;
}

}  // namespace cosmos3::sound
