#pragma once
// Text-to-image and text-to-video denoising: the conditional and unconditional branches'
// sequence layouts, the seeded initial noise, and the loop of transformer calls, classifier-
// free guidance and scheduler steps, with per-step progress and a cancel check.
//
// Shape legend: latents [1, C, T, H, W].

#include "core/model/model_seams.h"
#include "core/model/transformer.h"
#include "core/pipeline/guidance_runner.h"
#include "core/pipeline/sampler.h"
#include "core/pipeline/sequence_layout.h"
#include "core/pipeline/sound_layout.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace cosmos3::pipeline {

// Everything about one CFG branch that stays fixed across steps.
struct BranchLayout {
  TextSegment text;
  VisionSegment vision;
  at::Tensor position_ids;  // [3, sequence_length]
  int64_t sequence_length = 0;
  std::optional<SoundSegment> sound{};  // set by add_sound_segment when generating sound
};

// Appends the soundtrack's tokens (and positions) to `branch`, right after its vision tokens;
// a later modality (action) must be appended after this.
void add_sound_segment(BranchLayout& branch, int64_t num_sound_frames,
                       const model::TransformerConfig& config);

// A soundtrack denoised jointly with the video: its latents and a sampler of its own (the
// reference steps sound with a copy of the scheduler taken after set_timesteps).
struct SoundTrack {
  at::Tensor latents_CT;  // float32, on the model's device
  std::unique_ptr<Sampler> sampler;
};

BranchLayout build_branch(const std::vector<int64_t>& input_ids,
                          const std::vector<int64_t>& latent_shape, double fps,
                          const std::vector<int64_t>& condition_frame_indexes,
                          const model::TransformerConfig& config, int64_t vae_temporal_compression);

// Noise drawn as the reference draws it: float32 on the CPU from a generator seeded with
// `seed`, so the same seed gives the same numbers.
at::Tensor initial_noise(const std::vector<int64_t>& latent_shape, uint64_t seed);
// The same draw from a generator the caller keeps: distilled sampling continues its stream.
at::Generator seeded_generator(uint64_t seed);
at::Tensor initial_noise(const std::vector<int64_t>& latent_shape, at::Generator& generator);

struct DenoiseCallbacks {
  std::function<void(int64_t num_steps)> on_start;
  std::function<void(int64_t step, int64_t num_steps)> on_step_done;
  std::function<bool()> cancel_requested;  // checked before every step
  // Step `step` (1-based) as the sampler sees it: the latents it starts from, the guided
  // velocity and the step's sigma; for live previews of the clean-latent estimate.
  std::function<void(int64_t step, const at::Tensor& latents, const at::Tensor& velocity,
                     double sigma)>
      on_prediction;
};

struct DenoiseResult {
  at::Tensor latents;           // float32
  at::Tensor sound_latents_CT;  // float32; set when a SoundTrack was given
  int64_t num_steps_done = 0;
  bool cancelled = false;
};

// Runs every step of `sampler`, on the device `latents` is on. `uncond` is absent when guidance is
// off (scale 1). `condition_mask_T11` marks latent frames fixed by conditioning. With `sound`
// (whose branches must carry a sound segment) the soundtrack takes every step with the video,
// with the same timestep and guidance.
DenoiseResult denoise_vision(const model::Transformer& transformer, const BranchLayout& cond,
                             const std::optional<BranchLayout>& uncond, Sampler& sampler,
                             at::Tensor latents, const at::Tensor& condition_mask_T11,
                             double guidance_scale, model::ModelSeams& seams,
                             const DenoiseCallbacks& callbacks = {},
                             model::Precision precision = model::Precision::kBf16);
// The same loop with the CFG branches run by `guidance` (guidance_runner.h), e.g. cond and
// uncond on separate rank groups; the overload above runs them in turn through `seams`. With
// `precision` kFp8 each step runs in step_precision()'s choice: it is refused (RequestError)
// before any step on the CPU or with an fp32 model, and otherwise needs prepare_fp8() first.
DenoiseResult denoise_vision(const model::Transformer& transformer, const BranchLayout& cond,
                             const std::optional<BranchLayout>& uncond, Sampler& sampler,
                             at::Tensor latents, const at::Tensor& condition_mask_T11,
                             double guidance_scale, GuidanceRunner& guidance,
                             const DenoiseCallbacks& callbacks = {}, SoundTrack* sound = nullptr,
                             model::Precision precision = model::Precision::kBf16);

}  // namespace cosmos3::pipeline
