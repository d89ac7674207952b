// cosmos3-tool make-tiny-checkpoint: writes the embedded tiny checkpoint, a complete diffusers
// Cosmos3 pipeline folder with random weights, so the main job and the tests run anywhere
// without downloading a release. The loaders pick the tensors (through a recording source), so
// the files hold exactly what the configs call for.

#include "app/tiny_checkpoint_configs.h"
#include "app/tiny_tokenizer_files.h"
#include "app/tool_commands.h"
#include "core/errors.h"
#include "core/model/random_weight_source.h"
#include "core/model/recording_weight_source.h"
#include "core/model/transformer_config.h"
#include "core/model/transformer_weights.h"
#include "core/safetensors/writer.h"
#include "core/vae/vae_config.h"
#include "core/vae/vae_weight_sources.h"
#include "core/vae/vae_weights.h"

#include <charconv>
#include <fstream>
#include <iostream>

namespace cosmos3::tool {
namespace {

constexpr const char* kWeightsFile = "diffusion_pytorch_model.safetensors";

void write_text(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream stream(path, std::ios::binary);
  stream << text;
  if (text.empty() || text.back() != '\n') {
    stream << '\n';
  }
  if (!stream) {
    throw UserError("cannot write " + path.string() + ": choose a writable output folder");
  }
}

void write_transformer(const std::filesystem::path& folder, uint64_t seed) {
  const model::TransformerConfig config =
      model::parse_transformer_config(kTinyTransformerConfig, "tiny transformer config");
  model::RandomWeightSource random(c10::kCPU, c10::kFloat, seed);
  model::RecordingWeightSource recording(random);
  model::load_transformer_weights(config, recording, c10::kFloat, c10::kCPU);
  std::vector<std::pair<std::string, at::Tensor>> tensors = recording.recorded();
  // Releases carry the language-model head, which generation never reads; it is written so
  // the reference loads the folder as it loads a release, without "newly initialized" weights.
  tensors.emplace_back("lm_head.weight",
                       random.load("lm_head.weight", {config.vocab_size, config.hidden_size},
                                   model::ShardRole::kReplicated));
  write_text(folder / "config.json", kTinyTransformerConfig);
  safetensors::write_file(folder / kWeightsFile, tensors);
}

void write_vae(const std::filesystem::path& folder, uint64_t seed) {
  const vae::VaeConfig config = vae::parse_vae_config(kTinyVaeConfig, "tiny vae config");
  vae::RandomVaeWeightSource random(c10::kCPU, c10::kFloat, seed + 1);
  model::RecordingWeightSource recording(random);
  vae::load_vae_weights(config, recording, c10::kFloat, c10::kCPU);
  write_text(folder / "config.json", kTinyVaeConfig);
  safetensors::write_file(folder / kWeightsFile, recording.recorded());
}

}  // namespace

void write_tiny_checkpoint(const std::filesystem::path& root, uint64_t seed) {
  if (std::filesystem::exists(root)) {
    throw UserError(root.string() + " already exists; remove it or choose another folder");
  }
  // Written beside the target and renamed, so an interrupted run leaves no half checkpoint.
  const std::filesystem::path partial = root.string() + ".partial";
  std::filesystem::remove_all(partial);
  write_transformer(partial / "transformer", seed);
  write_vae(partial / "vae", seed);
  write_text(partial / "scheduler" / "scheduler_config.json", kTinySchedulerConfig);
  write_text(partial / "text_tokenizer" / "tokenizer.json", kTinyTokenizerJson);
  write_text(partial / "text_tokenizer" / "tokenizer_config.json", kTinyTokenizerConfigJson);
  write_text(partial / "model_index.json", kTinyModelIndex);
  std::filesystem::rename(partial, root);
}

int run_make_tiny_checkpoint(std::span<const std::string_view> arguments) {
  uint64_t seed = 0;
  if (arguments.size() == 3 && arguments[1] == "--seed") {
    const std::string_view text = arguments[2];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (error != std::errc() || end != text.data() + text.size()) {
      std::cerr << "cosmos3-tool make-tiny-checkpoint: --seed takes a number, got '" << text
                << "'\n";
      return kUsageExitCode;
    }
  } else if (arguments.size() != 1) {
    std::cerr << "usage: cosmos3-tool make-tiny-checkpoint OUT_DIR [--seed N]\n";
    return kUsageExitCode;
  }
  const std::filesystem::path root{std::string(arguments.front())};
  write_tiny_checkpoint(root, seed);
  std::cout << "wrote the tiny checkpoint to " << root.string() << '\n';
  return 0;
}

}  // namespace cosmos3::tool
