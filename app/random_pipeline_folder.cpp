#include "app/random_pipeline_folder.h"

#include "app/tiny_tokenizer_files.h"
#include "app/tool_commands.h"
#include "core/errors.h"
#include "core/model/random_weight_source.h"
#include "core/model/recording_weight_source.h"
#include "core/model/transformer_weights.h"
#include "core/safetensors/writer.h"
#include "core/sound/sound_decoder.h"
#include "core/sound/sound_weight_sources.h"
#include "core/vae/vae_weight_sources.h"
#include "core/vae/vae_weights.h"

namespace cosmos3::tool {
namespace {

constexpr const char* kWeightsFile = "diffusion_pytorch_model.safetensors";

void write_transformer(const std::filesystem::path& dir, const RandomPipelineFolder& folder) {
  const model::TransformerConfig& config = folder.transformer;
  model::RandomWeightSource random(folder.device, folder.dtype, folder.seed);
  model::RecordingWeightSource recording(random);
  model::load_transformer_weights(config, recording, folder.dtype, folder.device);
  std::vector<std::pair<std::string, at::Tensor>> tensors = recording.recorded();
  // Releases carry the language-model head, which generation never reads; it is written so
  // the reference loads the folder as it loads a release, without "newly initialized" weights.
  tensors.emplace_back("lm_head.weight",
                       random.load("lm_head.weight", {config.vocab_size, config.hidden_size},
                                   model::ShardRole::kReplicated));
  write_text(dir / "config.json", folder.transformer_config_json);
  safetensors::write_file(dir / kWeightsFile, tensors);
}

void write_vae(const std::filesystem::path& dir, const RandomPipelineFolder& folder) {
  vae::RandomVaeWeightSource random(folder.device, folder.dtype, folder.seed + 1);
  model::RecordingWeightSource recording(random);
  vae::load_vae_weights(folder.vae, recording, folder.dtype, folder.device);
  write_text(dir / "config.json", folder.vae_config_json);
  safetensors::write_file(dir / kWeightsFile, recording.recorded());
}

void write_sound_tokenizer(const std::filesystem::path& dir, const RandomPipelineFolder& folder) {
  sound::RandomSoundWeightSource random(folder.device, folder.dtype, folder.seed + 2);
  model::RecordingWeightSource recording(random);
  sound::SoundDecoder::build(*folder.sound_tokenizer, recording, folder.dtype, folder.device);
  write_text(dir / "config.json", folder.sound_tokenizer_config_json);
  safetensors::write_file(dir / kWeightsFile, recording.recorded());
}

}  // namespace

void write_random_pipeline_folder(const std::filesystem::path& root,
                                  const RandomPipelineFolder& folder) {
  if (std::filesystem::exists(root)) {
    throw UserError(root.string() + " already exists; remove it or choose another folder");
  }
  const std::filesystem::path partial = root.string() + ".partial";
  std::filesystem::remove_all(partial);
  write_transformer(partial / "transformer", folder);
  write_vae(partial / "vae", folder);
  if (folder.sound_tokenizer) {
    write_sound_tokenizer(partial / "sound_tokenizer", folder);
  }
  write_text(partial / "scheduler" / "scheduler_config.json", folder.scheduler_config_json);
  write_text(partial / "text_tokenizer" / "tokenizer.json", kTinyTokenizerJson);
  write_text(partial / "text_tokenizer" / "tokenizer_config.json", kTinyTokenizerConfigJson);
  write_text(partial / "model_index.json", folder.model_index_json);
  std::filesystem::rename(partial, root);
}

}  // namespace cosmos3::tool
