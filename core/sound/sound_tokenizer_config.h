#pragma once
// sound_tokenizer/config.json of a Cosmos3 checkpoint: diffusers' Cosmos3AVAEAudioTokenizer.
// Generation only decodes, so only the decoder's fields shape the model; the encoder's are
// accepted as they are (a folder may ship its weights) except where the reference itself
// refuses a value. Every switch the reference does not implement is refused by name.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::sound {

struct SoundTokenizerConfig {
  int64_t sampling_rate = 48000;
  int64_t vocoder_input_dim = 64;  // latent channels (= the transformer's sound_dim)
  int64_t dec_dim = 320;
  std::vector<int64_t> dec_c_mults{1, 2, 4, 8, 16};
  std::vector<int64_t> dec_strides{2, 4, 5, 6, 8};
  int64_t dec_out_channels = 2;
  // Waveform samples per latent frame as the pipeline counts them (the config's hop_size, else
  // the product of the decoder strides).
  int64_t hop_size = 1920;

  // Samples the decoder makes per latent frame: the product of its strides.
  int64_t upsampling_factor() const;
  int64_t num_blocks() const { return static_cast<int64_t>(dec_strides.size()); }
  // Channels entering the decoder's first block and leaving each block, in decode order.
  std::vector<int64_t> decoder_dims() const;
};

// Parses and validates; throws ConfigError naming the file, the field and what is accepted.
SoundTokenizerConfig parse_sound_tokenizer_config(const std::string& json_text,
                                                  const std::string& file_name);
SoundTokenizerConfig load_sound_tokenizer_config(const std::filesystem::path& config_path);

// The published Cosmos3 sound tokenizer's decoder (48 kHz stereo, hop 1920), for benchmarks.
SoundTokenizerConfig cosmos3_reference_sound_tokenizer_config();

}  // namespace cosmos3::sound
