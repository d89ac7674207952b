#pragma once
// What the settings dialog says about a model folder once chosen: its family, parameter count
// and capabilities, read with the engine's own readers (read_pipeline_folder, the transformer
// config) and the same weight list the loader uses. Reading a Nano config takes milliseconds,
// but the dialog still runs it on a pool thread: folders may sit on slow network disks.

#include "core/model/transformer_config.h"
#include "core/pipeline/pipeline_folder.h"

#include <QString>

#include <cstdint>
#include <filesystem>

namespace cosmos3::ui {

struct ModelFolderSummary {
  pipeline::PipelineFolder folder;
  model::TransformerConfig config;
  QString family;  // "Nano", "Super", "Edge", or "custom"
  int64_t num_parameters = 0;
  bool sound_generation = false;
  bool action_generation = false;

  // Throws ConfigError naming the file when the folder is not a usable Cosmos3 pipeline.
  static ModelFolderSummary read(const std::filesystem::path& dir);
  // "Nano · 8.3 B parameters · sound, action"
  QString describe() const;
};

}  // namespace cosmos3::ui
