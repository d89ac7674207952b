#pragma once
// Cosmos3's sound tokenizer decoder (diffusers' Cosmos3AVAEAudioTokenizer.decode): sound
// latents to a stereo waveform in [-1, 1]. Only the decoder is built; a folder whose weights
// also hold the encoder loads the same (its tensors are not read).
//
// Shape legend: latents_CT [C, T] or latents_BCT [B, C, T]; waveform [B?, channels, T x hop].

#include "core/model/weight_source.h"
#include "core/sound/sound_decoder_layers.h"
#include "core/sound/sound_tokenizer_config.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <vector>

namespace cosmos3::sound {

class SoundDecoder {
 public:
  // From a diffusers sound_tokenizer/ folder (config.json and the safetensors weights). Throws
  // ConfigError or CheckpointError naming the file, the field or the tensor.
  static SoundDecoder load(const std::filesystem::path& folder, c10::ScalarType dtype,
                           c10::Device device);
  // From any weight source, e.g. random weights for benchmarks.
  static SoundDecoder build(const SoundTokenizerConfig& config, model::WeightSource& source,
                            c10::ScalarType dtype, c10::Device device);

  // Latents in any dtype and device; the waveform comes back in the decoder's dtype on its
  // device, clamped to [-1, 1], upsampling_factor() samples per latent frame.
  at::Tensor decode(const at::Tensor& latents) const;

  const SoundTokenizerConfig& config() const { return config_; }
  c10::ScalarType dtype() const { return dtype_; }
  c10::Device device() const { return device_; }

 private:
  SoundDecoder(SoundTokenizerConfig config, c10::ScalarType dtype, c10::Device device)
      : config_(std::move(config)), dtype_(dtype), device_(device) {}

  SoundTokenizerConfig config_;
  c10::ScalarType dtype_;
  c10::Device device_;
  NormedConv conv_in_;
  std::vector<DecoderBlock> blocks_;
  SnakeBeta snake_out_;
  NormedConv conv_out_;
};

}  // namespace cosmos3::sound
