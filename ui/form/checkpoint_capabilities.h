#pragma once
// What a Cosmos3 pipeline folder offers the request editor: its modes, its defaults and the
// size presets its rules accept, all read from the folder with the engine's own readers
// (read_pipeline_folder, the scheduler and transformer configs) and checked with the engine's
// own rules (resolve_request), so the form never disagrees with the worker.

#include "core/model/transformer_config.h"
#include "core/pipeline/pipeline_folder.h"
#include "ui/form/generation_mode.h"

#include <QList>
#include <QString>

#include <filesystem>
#include <optional>

namespace cosmos3::ui {

struct SizePreset {
  QString label;
  int height = 0;
  int width = 0;
  int num_frames = 1;

  bool operator==(const SizePreset&) const = default;
};

// The values a fresh form starts from for one mode.
struct ModeDefaults {
  int num_steps = 35;
  double guidance_scale = 6.0;
  // None for distilled checkpoints: their sigma schedule is fixed.
  std::optional<double> flow_shift;
  bool use_system_prompt = true;
  double fps = 24.0;
  int height = 720;
  int width = 1280;
  int num_frames = 189;
};

class CheckpointCapabilities {
 public:
  // Throws ConfigError naming the file when the folder, its scheduler config or its
  // transformer config cannot be used.
  static CheckpointCapabilities load(const std::filesystem::path& pipeline_dir);

  const pipeline::PipelineFolder& folder() const { return folder_; }
  bool distilled() const { return folder_.distilled_sigmas.has_value(); }

  // Text to image and text to video always; image and video to video when this build can read
  // media and the folder has the VAE that encodes the input.
  const QList<GenerationMode>& modes() const { return modes_; }
  bool offers(GenerationMode mode) const { return modes_.contains(mode); }

  // From transformer/config.json: what the transformer was trained for.
  bool sound_generation() const { return sound_generation_; }
  bool action_generation() const { return action_generation_; }
  // Whether a job here can ask for sound: the transformer makes it and the folder has a sound
  // tokenizer whose config the engine reads (its own check, resolve_request with sound on).
  // When not, sound_problem() says why in the engine's words (empty when it can).
  bool offers_sound() const { return sound_problem_.isEmpty(); }
  const QString& sound_problem() const { return sound_problem_; }
  // Action jobs can be asked for: the transformer has action heads, the checkpoint is not
  // distilled (plan_action refuses those) and the inputs can be encoded.
  bool offers_actions() const;
  // Transfer jobs can be asked for: this build reads media (the control videos) and the folder
  // has the VAE that encodes the controls and decodes each chunk (run_transfer's needs). When
  // not, transfer_problem() says why (empty when it can).
  bool offers_transfer() const { return transfer_problem_.isEmpty(); }
  const QString& transfer_problem() const { return transfer_problem_; }
  // The transformer's config, for the action checks (action_dim, embodiment domains).
  const model::TransformerConfig& transformer_config() const { return transformer_config_; }

  ModeDefaults defaults(GenerationMode mode) const;
  // Only sizes (and frame counts) that resolve_request accepts for this folder; the release's
  // own size first.
  QList<SizePreset> size_presets(GenerationMode mode) const;

 private:
  pipeline::PipelineFolder folder_;
  model::TransformerConfig transformer_config_;
  QList<GenerationMode> modes_;
  std::optional<double> scheduler_flow_shift_;
  bool sound_generation_ = false;
  bool action_generation_ = false;
  QString sound_problem_;
  QString transfer_problem_;
};

}  // namespace cosmos3::ui
