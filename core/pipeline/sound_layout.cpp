#include "core/pipeline/sound_layout.h"

#include "core/pipeline/sequence_layout.h"

#include <ATen/ops/arange.h>

#include <optional>

namespace cosmos3::pipeline {

int64_t num_sound_latent_frames(int64_t num_frames, double fps, int64_t sampling_rate,
                                int64_t hop_size) {
  const auto num_samples = static_cast<int64_t>(static_cast<double>(num_frames) / fps *
                                                static_cast<double>(sampling_rate));
  return (num_samples + hop_size - 1) / hop_size;
}

SoundSegment prepare_sound_segment(int64_t num_sound_frames, double temporal_offset,
                                   int64_t sequence_start, const model::TransformerConfig& config) {
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  const std::optional<double> modulation_fps =
      config.enable_fps_modulation ? std::optional<double>(config.sound_latent_fps) : std::nullopt;
  SoundSegment segment;
  segment.token_shape = {num_sound_frames, 1, 1};
  segment.num_tokens = num_sound_frames;
  segment.sequence_indexes =
      at::arange(sequence_start, sequence_start + num_sound_frames, long_options);
  segment.noisy_frame_indexes = at::arange(num_sound_frames, long_options);
  // One latent frame per token: no temporal compression to undo.
  segment.positions_3N =
      vision_mrope_positions(num_sound_frames, 1, 1, temporal_offset,
                             config.unified_3d_mrope_reset_spatial_ids, modulation_fps,
                             static_cast<double>(config.base_fps), 1)
          .positions_3N;
  return segment;
}

}  // namespace cosmos3::pipeline
