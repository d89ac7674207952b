#include "core/pipeline/generation_request.h"

#include "core/pipeline/sound_layout.h"
#include "core/sound/sound_tokenizer_config.h"

#include <cmath>
#include <sstream>

namespace cosmos3::pipeline {
namespace {

constexpr int64_t kDefaultSteps = 35;
constexpr double kDefaultGuidance = 6.0;

template <typename... Parts>
[[noreturn]] void reject(const Parts&... parts) {
  std::ostringstream message;
  (message << ... << parts);
  throw RequestError(message.str());
}

void check_size(const GenerationRequest& request, const PipelineFolder& folder) {
  const int64_t factor = folder.vae_spatial_factor;
  if (request.height <= 0 || request.width <= 0 || request.height % factor != 0 ||
      request.width % factor != 0) {
    reject("--height and --width must be positive multiples of ", factor,
           " (the VAE's spatial compression), got ", request.height, "x", request.width,
           "; e.g. 720x1280, 480x832 or 704x1280");
  }
}

void check_frames(const GenerationRequest& request, const PipelineFolder& folder) {
  const int64_t factor = folder.vae_temporal_factor;
  if (request.num_frames < 1 || (request.num_frames - 1) % factor != 0) {
    // The reference accepts any count and returns (count - 1) / 4 * 4 + 1 frames; asking for a
    // count it cannot return is refused here instead.
    reject("--num-frames must be 1 (an image) or 1 + ", factor,
           " * k (the VAE's temporal compression), e.g. 189, 121 or 93; got ", request.num_frames);
  }
}

void check_scalars(const GenerationRequest& request) {
  if (request.prompt.find_first_not_of(" \t\r\n") == std::string::npos) {
    reject("--prompt must not be empty: describe the image or video to generate");
  }
  if (!(request.fps > 0.0) || !std::isfinite(request.fps)) {
    reject("--fps must be a positive number, got ", request.fps);
  }
  if (request.num_steps && *request.num_steps < 1) {
    reject("--steps must be at least 1, got ", *request.num_steps);
  }
  if (request.guidance_scale &&
      (!(*request.guidance_scale >= 0.0) || !std::isfinite(*request.guidance_scale))) {
    reject("--guidance-scale must be >= 0 (1 turns guidance off), got ", *request.guidance_scale);
  }
  if (request.flow_shift && (!(*request.flow_shift > 0.0) || !std::isfinite(*request.flow_shift))) {
    reject("--flow-shift must be a positive number, got ", *request.flow_shift);
  }
}

void check_distilled(const GenerationRequest& request, const PipelineFolder& folder) {
  const auto num_sigmas = static_cast<int64_t>(folder.distilled_sigmas->size());
  if (request.num_steps && *request.num_steps != num_sigmas) {
    reject("this is a distilled checkpoint whose schedule has ", num_sigmas,
           " steps: leave --steps out or pass ", num_sigmas, " (got ", *request.num_steps, ")");
  }
  if (request.guidance_scale && *request.guidance_scale != 1.0) {
    reject(
        "this is a distilled checkpoint with guidance baked into its weights: leave "
        "--guidance-scale out or pass 1 (got ",
        *request.guidance_scale, ")");
  }
  if (request.flow_shift) {
    reject(
        "this is a distilled checkpoint with a fixed sigma schedule: --flow-shift does not "
        "apply");
  }
}

// Sound needs a checkpoint that makes it and a video to go with; the tokenizer's config is read
// only now, so a checkpoint's sound settings never stand in the way of silent jobs.
void resolve_sound(ResolvedRequest& resolved, const PipelineFolder& folder) {
  const GenerationRequest& request = resolved.request;
  if (folder.sound_tokenizer_dir.empty()) {
    reject(
        "--sound needs a checkpoint with a sound tokenizer (sound_tokenizer/ listed in "
        "model_index.json); ",
        folder.root.string(), " has none: leave --sound out");
  }
  if (!folder.transformer_sound_gen) {
    reject(
        "--sound needs a transformer trained to generate sound (sound_gen in "
        "transformer/config.json); ",
        folder.root.string(), "'s is not: leave --sound out");
  }
  if (request.num_frames == 1) {
    reject(
        "--sound makes a soundtrack for a video: ask for more than one frame (--num-frames) "
        "or leave --sound out");
  }
  const sound::SoundTokenizerConfig tokenizer =
      sound::load_sound_tokenizer_config(folder.sound_tokenizer_dir / "config.json");
  resolved.num_sound_frames = num_sound_latent_frames(request.num_frames, request.fps,
                                                      tokenizer.sampling_rate, tokenizer.hop_size);
  resolved.sound_sampling_rate = tokenizer.sampling_rate;
}

}  // namespace

ResolvedRequest resolve_request(const GenerationRequest& request, const PipelineFolder& folder) {
  check_scalars(request);
  check_size(request, folder);
  check_frames(request, folder);
  ResolvedRequest resolved{request, kDefaultSteps, kDefaultGuidance,
                           request.use_system_prompt.value_or(folder.default_use_system_prompt),
                           folder.distilled_sigmas.has_value()};
  if (resolved.distilled) {
    check_distilled(request, folder);
    resolved.num_steps = static_cast<int64_t>(folder.distilled_sigmas->size());
    resolved.guidance_scale = 1.0;
  } else {
    resolved.num_steps = request.num_steps.value_or(kDefaultSteps);
    resolved.guidance_scale = request.guidance_scale.value_or(kDefaultGuidance);
  }
  if (request.enable_sound) {
    resolve_sound(resolved, folder);
  }
  return resolved;
}

std::vector<int64_t> latent_shape_of(const GenerationRequest& request, int64_t latent_channels,
                                     const PipelineFolder& folder) {
  return {1, latent_channels, (request.num_frames - 1) / folder.vae_temporal_factor + 1,
          request.height / folder.vae_spatial_factor, request.width / folder.vae_spatial_factor};
}

}  // namespace cosmos3::pipeline
