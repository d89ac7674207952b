// cosmos3-tool make-tiny-checkpoint: writes the embedded tiny checkpoint, a complete diffusers
// Cosmos3 pipeline folder with random weights, so the main job and the tests run anywhere
// without downloading a release. The loaders pick the tensors (through a recording source), so
// the files hold exactly what the configs call for.

#include "app/tiny_checkpoint_configs.h"
#include "app/tiny_tokenizer_files.h"
#include "app/tool_commands.h"
#include "core/cli/typed_values.h"
#include "core/errors.h"
#include "core/model/random_weight_source.h"
#include "core/model/recording_weight_source.h"
#include "core/model/transformer_config.h"
#include "core/model/transformer_weights.h"
#include "core/safetensors/writer.h"
#include "core/vae/vae_config.h"
#include "core/vae/vae_weight_sources.h"
#include "core/vae/vae_weights.h"

#include <fstream>
#include <iostream>
#include <memory>

namespace cosmos3::tool {

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

namespace {

constexpr const char* kWeightsFile = "diffusion_pytorch_model.safetensors";

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

cli::Command make_tiny_checkpoint_command() {
  struct Options {
    std::filesystem::path root;
    uint64_t seed = 0;
  };
  auto options = std::make_shared<Options>();
  cli::Command command("make-tiny-checkpoint",
                       "write a tiny random-weight Cosmos3 pipeline folder (real\n"
                       "diffusers layout) for trying the tools without a release");
  command
      .add_positional(
          {.name = "OUT_DIR",
           .help = "the folder to create (must not exist)",
           .set = [options](std::string_view value) { options->root = std::string(value); }})
      .add_flag({.name = "--seed",
                 .value_name = "N",
                 .help = "seed of the random weights (default 0)",
                 .set =
                     [options](auto flag, auto value) {
                       options->seed = cli::to_integer<uint64_t>(flag, value);
                     }})
      .set_action([options] {
        write_tiny_checkpoint(options->root, options->seed);
        std::cout << "wrote the tiny checkpoint to " << options->root.string() << '\n';
        return 0;
      });
  return command;
}

}  // namespace cosmos3::tool
