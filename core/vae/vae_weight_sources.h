#pragma once
// Where the VAE's weights come from: a diffusers vae/ folder, or random tensors of the right
// shapes made on the device (full-size benchmarks without a checkpoint on disk).

#include "core/model/weight_source.h"

namespace cosmos3::vae {

// Every tensor from a checkpoint, checked against the shape the config implies.
class VaeCheckpointWeightSource : public model::CheckpointWeightSource {
 public:
  explicit VaeCheckpointWeightSource(const safetensors::Checkpoint& checkpoint)
      : CheckpointWeightSource(checkpoint, {"VAE", "vae/config.json"}) {}
};

class RandomVaeWeightSource : public model::WeightSource {
 public:
  RandomVaeWeightSource(c10::Device device, c10::ScalarType dtype, uint64_t seed);
  bool contains(const std::string&) const override { return true; }
  // Norm gains near 1, kernels scaled by 1/sqrt(fan_in) so activations keep their size
  // through the stack, small biases.
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override;

 private:
  c10::Device device_;
  c10::ScalarType dtype_;
};

}  // namespace cosmos3::vae
