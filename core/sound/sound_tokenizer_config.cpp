#include "core/sound/sound_tokenizer_config.h"

#include "core/config/json_config_reader.h"
#include "core/errors.h"

namespace cosmos3::sound {
namespace {

using config::Json;
using config::JsonConfigReader;

constexpr const char* kTokenizerClass = "Cosmos3AVAEAudioTokenizer";

void check_class(const Json& json, const std::string& file_name) {
  if (json.contains("_class_name") && json["_class_name"] != kTokenizerClass) {
    throw ConfigError(file_name + ": field '_class_name' is " + json["_class_name"].dump() +
                      "; Cosmos3 Studio decodes sound only with '" + kTokenizerClass + "'");
  }
}

void require_on(const JsonConfigReader& reader, const std::string& field, const std::string& why) {
  bool enabled = true;
  reader.read(field, enabled);
  if (!enabled) {
    reader.fail(field, "is false, which Cosmos3 Studio does not support (" + why +
                           "); the shipped tokenizer sets it to true");
  }
}

// The reference raises NotImplementedError for every value but the shipped one of these.
void refuse_unsupported(const JsonConfigReader& reader) {
  reader.read_choice("model_type", "autoencoder_v2", {"autoencoder_v2"});
  reader.read_choice("enc_type", "spec_convnext", {"spec_convnext"});
  reader.read_choice("dec_type", "oobleck", {"oobleck"});
  reader.read_choice("bottleneck_type", "vae", {"vae"});
  reader.read_choice("activation", "snakebeta", {"snakebeta"});
  require_on(reader, "use_wav_as_input", "only waveform input exists");
  require_on(reader, "dec_use_snake", "the decoder is built of Snake-beta activations");
  require_on(reader, "snake_logscale", "Snake-beta parameters are stored as logarithms");
  for (const char* field : {"dec_final_tanh", "dec_anti_aliasing", "dec_use_nearest_upsample",
                            "dec_use_tanh_at_final", "anti_aliasing", "use_cuda_kernel"}) {
    reader.require_off(field, "the reference implements only the shipped Oobleck decoder");
  }
  if (reader.has("bottleneck")) {
    const Json& bottleneck = reader.json()["bottleneck"];
    if (!bottleneck.is_object() ||
        (bottleneck.contains("type") && bottleneck["type"] != Json("vae"))) {
      reader.fail("bottleneck", "is " + bottleneck.dump() + "; only {\"type\": \"vae\"} exists");
    }
  }
  for (const char* field : {"latent_mean", "latent_std"}) {
    if (reader.has(field)) {
      reader.fail(field,
                  "is set, but the reference applies no latent normalisation; set it to "
                  "null");
    }
  }
  bool encoder_enabled = true;
  reader.read("encoder_enabled", encoder_enabled);
  bool causal = false;
  reader.read("causal", causal);
  if (encoder_enabled && causal) {
    reader.fail("causal", "is true, which the reference's encoder refuses; set it to false");
  }
}

void validate_decoder(const SoundTokenizerConfig& config, const JsonConfigReader& reader) {
  reader.require_positive("sampling_rate", config.sampling_rate);
  reader.require_positive("vocoder_input_dim", config.vocoder_input_dim);
  reader.require_positive("dec_dim", config.dec_dim);
  reader.require_positive("dec_out_channels", config.dec_out_channels);
  reader.require_positive("hop_size", config.hop_size);
  if (config.dec_strides.empty()) {
    reader.fail("dec_strides", "must list at least one stride");
  }
  for (const int64_t stride : config.dec_strides) {
    reader.require_positive("dec_strides", stride);
  }
  for (const int64_t multiplier : config.dec_c_mults) {
    reader.require_positive("dec_c_mults", multiplier);
  }
  // Block i reads multiplier [n - i] of [1] + dec_c_mults; the first conv reads the last one,
  // so the two lists only fit together at equal lengths.
  if (config.dec_c_mults.size() != config.dec_strides.size()) {
    reader.fail("dec_c_mults", "must list one multiplier per entry of dec_strides (" +
                                   std::to_string(config.dec_strides.size()) + "), got " +
                                   std::to_string(config.dec_c_mults.size()));
  }
}

}  // namespace

int64_t SoundTokenizerConfig::upsampling_factor() const {
  int64_t factor = 1;
  for (const int64_t stride : dec_strides) {
    factor *= stride;
  }
  return factor;
}

std::vector<int64_t> SoundTokenizerConfig::decoder_dims() const {
  std::vector<int64_t> dims{dec_dim * dec_c_mults.back()};
  for (size_t block = 1; block < dec_c_mults.size(); ++block) {
    dims.push_back(dec_dim * dec_c_mults[dec_c_mults.size() - 1 - block]);
  }
  dims.push_back(dec_dim);
  return dims;
}

SoundTokenizerConfig parse_sound_tokenizer_config(const std::string& json_text,
                                                  const std::string& file_name) {
  const Json json = config::parse_json_object(json_text, file_name);
  check_class(json, file_name);
  const JsonConfigReader reader(json, file_name);
  refuse_unsupported(reader);
  SoundTokenizerConfig config;
  reader.read("sampling_rate", config.sampling_rate);
  reader.read("vocoder_input_dim", config.vocoder_input_dim);
  reader.read("dec_dim", config.dec_dim);
  reader.read("dec_c_mults", config.dec_c_mults);
  reader.read("dec_strides", config.dec_strides);
  reader.read("dec_out_channels", config.dec_out_channels);
  config.hop_size = config.upsampling_factor();
  reader.read("hop_size", config.hop_size);
  validate_decoder(config, reader);
  return config;
}

SoundTokenizerConfig load_sound_tokenizer_config(const std::filesystem::path& config_path) {
  return parse_sound_tokenizer_config(
      config::read_config_text(config_path,
                               "a sound-capable diffusers folder holds it as "
                               "sound_tokenizer/config.json"),
      config_path.string());
}

SoundTokenizerConfig cosmos3_reference_sound_tokenizer_config() { return SoundTokenizerConfig{}; }

}  // namespace cosmos3::sound
