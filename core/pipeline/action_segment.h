#pragma once
// The action tokens of a joint sequence: their clean values and which are fixed per mode, and
// their place and mRoPE positions after the vision (and sound) tokens. Action steps are
// transitions between frames, so their temporal positions start one frame in.
//
// Shape legend: actions_TD [chunk, action_dim]; mask_T1 float32, 1 on clean action tokens.

#include "core/model/transformer_config.h"
#include "core/pipeline/action_request.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <optional>
#include <vector>

namespace cosmos3::pipeline {

struct ActionTokens {
  at::Tensor clean_TD;  // forward dynamics: the given actions; else zeros
  at::Tensor mask_T1;
  std::vector<int64_t> condition_indexes;  // action tokens fixed by conditioning
};

// Forward dynamics: `raw_actions_TD` (the domain's width) repeated on its last row or cut to
// `chunk_size`, zero-padded to `action_dim`, all clean. Policy and inverse dynamics: zeros, all
// noisy.
ActionTokens prepare_action_tokens(ActionMode mode, int64_t chunk_size, int64_t action_dim,
                                   const std::optional<at::Tensor>& raw_actions_TD);

// mask * clean + (1 - mask) * noise, with the columns from `raw_width` on zeroed.
at::Tensor initial_action_latents(const ActionTokens& tokens, const at::Tensor& noise_TD,
                                  int64_t raw_width);

struct ActionSegment {
  std::array<int64_t, 3> token_shape{};  // (chunk, 1, 1)
  at::Tensor sequence_indexes;
  at::Tensor mse_loss_indexes;
  at::Tensor noisy_frame_indexes;
  at::Tensor positions_3N;
  at::Tensor domain_id;  // [1] int64
  int64_t num_tokens = 0;
  int64_t num_noisy_tokens = 0;
};

// `temporal_offset` is the vision segment's (the modalities are temporal siblings).
ActionSegment prepare_action_segment(int64_t chunk_size,
                                     const std::vector<int64_t>& condition_indexes,
                                     int64_t domain_id, double temporal_offset, double fps,
                                     int64_t sequence_start, const model::TransformerConfig& config,
                                     int64_t vae_temporal_compression);

}  // namespace cosmos3::pipeline
