#pragma once
// Where the sound decoder's weights come from: a diffusers sound_tokenizer/ folder, or random
// tensors of the right shapes made on the device (full-size benchmarks without a checkpoint).

#include "core/model/weight_source.h"

namespace cosmos3::sound {

// Every tensor from a checkpoint, checked against the shape sound_tokenizer/config.json implies.
class SoundCheckpointWeightSource : public model::CheckpointWeightSource {
 public:
  explicit SoundCheckpointWeightSource(const safetensors::Checkpoint& checkpoint)
      : CheckpointWeightSource(checkpoint, {"sound tokenizer", "sound_tokenizer/config.json"}) {}
};

// Stored as weight-norm pairs (weight_g, weight_v) as the reference saves them.
class RandomSoundWeightSource : public model::WeightSource {
 public:
  RandomSoundWeightSource(c10::Device device, c10::ScalarType dtype, uint64_t seed);
  bool contains(const std::string& name) const override;
  // Snake log-parameters near 0 (alpha, beta near 1), weight-norm gains near 1 so every layer
  // keeps its activations' size (the output conv's near 0.05), small biases.
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override;

 private:
  c10::Device device_;
  c10::ScalarType dtype_;
};

}  // namespace cosmos3::sound
