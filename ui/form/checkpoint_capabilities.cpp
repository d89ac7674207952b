#include "ui/form/checkpoint_capabilities.h"

#include "core/errors.h"
#include "core/model/transformer_config.h"
#include "core/pipeline/generation_request.h"
#include "core/scheduler/scheduler_config.h"

#include <algorithm>

namespace cosmos3::ui {
namespace {

// Sizes users of Cosmos3 ask for: the release's 720p, the smaller 480p and 704p buckets, and
// squares; the folder's rules decide which of them survive.
struct SizeCandidate {
  const char* label;
  int height;
  int width;
  int num_video_frames;
};

constexpr SizeCandidate kSizeCandidates[] = {
    {"720p landscape", 720, 1280, 189}, {"720p portrait", 1280, 720, 189},
    {"704p landscape", 704, 1280, 121}, {"480p landscape", 480, 832, 93},
    {"480p portrait", 832, 480, 93},    {"Square 1024", 1024, 1024, 93},
    {"Square 512", 512, 512, 93},
};

bool engine_accepts(const SizePreset& preset, const pipeline::PipelineFolder& folder) {
  pipeline::GenerationRequest request;
  request.prompt = "size probe";
  request.height = preset.height;
  request.width = preset.width;
  request.num_frames = preset.num_frames;
  try {
    pipeline::resolve_request(request, folder);
    return true;
  } catch (const pipeline::RequestError&) {
    return false;
  }
}

std::optional<double> scheduler_flow_shift(const pipeline::PipelineFolder& folder) {
  if (folder.distilled_sigmas) {
    return std::nullopt;
  }
  const scheduler::SchedulerConfig config =
      scheduler::load_scheduler_config(folder.scheduler_config);
  return config.kind == scheduler::SchedulerKind::kUniPCMultistep ? config.flow_shift
                                                                  : config.shift;
}

// Conditioning inputs are encoded by the VAE; without its config the worker cannot take them.
bool can_encode_inputs(const pipeline::PipelineFolder& folder) {
#ifdef COSMOS3_HAVE_MEDIA
  return std::filesystem::exists(folder.vae_dir / "config.json");
#else
  (void)folder;
  return false;
#endif
}

// The engine's own answer to a short video with sound: it names a missing sound tokenizer, a
// transformer without sound_gen, or a tokenizer config it cannot use. The transformer's flag
// alone does not make sound: the decoder needs the tokenizer.
QString engine_sound_problem(const pipeline::PipelineFolder& folder) {
  pipeline::GenerationRequest request;
  request.prompt = "sound probe";
  request.height = static_cast<int>(folder.vae_spatial_factor);
  request.width = static_cast<int>(folder.vae_spatial_factor);
  request.num_frames = 1 + static_cast<int>(folder.vae_temporal_factor);
  request.enable_sound = true;
  try {
    pipeline::resolve_request(request, folder);
    return {};
  } catch (const UserError& error) {  // RequestError, or ConfigError from the tokenizer config
    return QString::fromUtf8(error.what());
  }
}

// What run_transfer needs before any weight is read: control videos it can decode and a VAE
// to encode them and to decode each chunk (whose tail seeds the next).
QString engine_transfer_problem(const pipeline::PipelineFolder& folder) {
#ifdef COSMOS3_HAVE_MEDIA
  if (std::filesystem::exists(folder.vae_dir / "config.json")) return {};
  return QStringLiteral(
             "%1 has no VAE config: a transfer job encodes its control videos and "
             "decodes each chunk with the VAE")
      .arg(QString::fromStdString(folder.vae_dir.string()));
#else
  (void)folder;
  return QStringLiteral(
      "this build reads no videos (configure with -DCOSMOS3_BUILD_MEDIA=ON), "
      "and a transfer job reads its control videos");
#endif
}

}  // namespace

CheckpointCapabilities CheckpointCapabilities::load(const std::filesystem::path& pipeline_dir) {
  CheckpointCapabilities capabilities;
  capabilities.folder_ = pipeline::read_pipeline_folder(pipeline_dir);
  const pipeline::PipelineFolder& folder = capabilities.folder_;
  capabilities.scheduler_flow_shift_ = scheduler_flow_shift(folder);
  capabilities.transformer_config_ =
      model::load_transformer_config(folder.transformer_dir / "config.json");
  const model::TransformerConfig& transformer = capabilities.transformer_config_;
  capabilities.sound_generation_ = transformer.sound_gen;
  capabilities.action_generation_ = transformer.action_gen;
  capabilities.sound_problem_ = engine_sound_problem(folder);
  capabilities.transfer_problem_ = engine_transfer_problem(folder);
  capabilities.modes_ = {GenerationMode::kTextToImage, GenerationMode::kTextToVideo};
  if (can_encode_inputs(folder)) {
    capabilities.modes_ += {GenerationMode::kImageToVideo, GenerationMode::kVideoToVideo};
  }
  return capabilities;
}

bool CheckpointCapabilities::offers_actions() const {
  return action_generation_ && !distilled() && offers(GenerationMode::kImageToVideo);
}

ModeDefaults CheckpointCapabilities::defaults(GenerationMode mode) const {
  // resolve_request fills in what a request leaves out; asking it keeps the form's defaults
  // the engine's. One VAE block of one frame is valid under any factors, so the probe cannot
  // fail on its size.
  pipeline::GenerationRequest request;
  request.prompt = "defaults probe";
  request.height = static_cast<int>(folder_.vae_spatial_factor);
  request.width = static_cast<int>(folder_.vae_spatial_factor);
  request.num_frames = 1;
  const pipeline::ResolvedRequest resolved = pipeline::resolve_request(request, folder_);
  ModeDefaults defaults;
  defaults.num_steps = static_cast<int>(resolved.num_steps);
  defaults.guidance_scale = resolved.guidance_scale;
  defaults.flow_shift = scheduler_flow_shift_;
  defaults.use_system_prompt = resolved.use_system_prompt;
  defaults.fps = pipeline::GenerationRequest{}.fps;
  const QList<SizePreset> presets = size_presets(mode);
  if (!presets.isEmpty()) {
    defaults.height = presets.front().height;
    defaults.width = presets.front().width;
    defaults.num_frames = presets.front().num_frames;
    return defaults;
  }
  // No preset fits these factors: whole VAE blocks near 512 pixels and 93 frames.
  const auto spatial = static_cast<int>(folder_.vae_spatial_factor);
  const auto temporal = static_cast<int>(folder_.vae_temporal_factor);
  defaults.height = std::max(spatial, 512 / spatial * spatial);
  defaults.width = defaults.height;
  defaults.num_frames = makes_video(mode) ? 1 + temporal * std::max(1, 92 / temporal) : 1;
  return defaults;
}

QList<SizePreset> CheckpointCapabilities::size_presets(GenerationMode mode) const {
  QList<SizePreset> presets;
  for (const SizeCandidate& candidate : kSizeCandidates) {
    const int num_frames = makes_video(mode) ? candidate.num_video_frames : 1;
    SizePreset preset{QString(), candidate.height, candidate.width, num_frames};
    preset.label =
        QStringLiteral("%1 (%2x%3%4)")
            .arg(QString::fromLatin1(candidate.label))
            .arg(candidate.height)
            .arg(candidate.width)
            .arg(makes_video(mode) ? QStringLiteral(", %1 frames").arg(num_frames) : QString());
    if (engine_accepts(preset, folder_)) {
      presets.push_back(preset);
    }
  }
  return presets;
}

}  // namespace cosmos3::ui
