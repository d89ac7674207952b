// cosmos3-tool make-tiny-checkpoint: writes the embedded tiny checkpoint, a complete diffusers
// Cosmos3 pipeline folder with random weights, so the main job and the tests run anywhere
// without downloading a release (see random_pipeline_folder.h).

#include "app/random_pipeline_folder.h"
#include "app/tiny_checkpoint_configs.h"
#include "app/tool_commands.h"
#include "core/cli/typed_values.h"
#include "core/errors.h"
#include "core/model/transformer_config.h"
#include "core/sound/sound_tokenizer_config.h"
#include "core/vae/vae_config.h"

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

void write_tiny_checkpoint(const std::filesystem::path& root, uint64_t seed) {
  RandomPipelineFolder folder;
  folder.transformer =
      model::parse_transformer_config(kTinyTransformerConfig, "tiny transformer config");
  folder.transformer_config_json = kTinyTransformerConfig;
  folder.vae = vae::parse_vae_config(kTinyVaeConfig, "tiny vae config");
  folder.vae_config_json = kTinyVaeConfig;
  folder.scheduler_config_json = kTinySchedulerConfig;
  folder.model_index_json = kTinyModelIndex;
  folder.sound_tokenizer =
      sound::parse_sound_tokenizer_config(kTinySoundTokenizerConfig, "tiny sound tokenizer config");
  folder.sound_tokenizer_config_json = kTinySoundTokenizerConfig;
  folder.seed = seed;
  write_random_pipeline_folder(root, folder);
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
