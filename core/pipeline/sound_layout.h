#pragma once
// The soundtrack's place in a generation's joint sequence, as the reference's enable_sound
// modes lay it out: sound latents [sound_dim, T] as T tokens of shape (1, 1) right after the
// vision tokens, all noisy, with mRoPE positions that start at the same temporal offset as the
// vision (the two are simultaneous, not sequential) and run at the sound latent rate rescaled
// to the base frame rate.
//
// Shape legend: T sound latent frames; positions are [3, T] rows (t, h, w).

#include "core/model/transformer_config.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>

namespace cosmos3::pipeline {

struct SoundSegment {
  std::array<int64_t, 3> token_shape{};  // (T, 1, 1)
  at::Tensor sequence_indexes;           // also where predictions are read back: all noisy
  at::Tensor noisy_frame_indexes;        // 0 .. T-1
  at::Tensor positions_3N;
  int64_t num_tokens = 0;
};

// Sound latent frames for `num_frames` video frames at `fps`: the video's duration in samples
// (truncated, as the reference's int()), divided by the hop and rounded up.
int64_t num_sound_latent_frames(int64_t num_frames, double fps, int64_t sampling_rate,
                                int64_t hop_size);

// `sequence_start` is the first index after the vision tokens; `temporal_offset` the vision's.
SoundSegment prepare_sound_segment(int64_t num_sound_frames, double temporal_offset,
                                   int64_t sequence_start, const model::TransformerConfig& config);

}  // namespace cosmos3::pipeline
