#include "core/pipeline/action_segment.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>

#include <set>

namespace cosmos3::pipeline {
namespace {

const auto kLongOptions = at::TensorOptions().dtype(at::kLong);
const auto kFloatOptions = at::TensorOptions().dtype(at::kFloat);

// Positions of `num_tokens` one-patch frames. Under fps modulation the temporal axis counts
// transitions (index + 1) at `fps` on the vision scale (base_fps over the VAE's compression);
// otherwise one position per token, also shifted by one.
at::Tensor action_positions(int64_t num_tokens, double temporal_offset, bool reset_spatial,
                            std::optional<double> fps, double base_fps,
                            int64_t vae_temporal_compression) {
  const bool fps_modulation = fps.has_value() && num_tokens > 1;
  at::Tensor spatial = at::zeros({num_tokens}, kLongOptions);
  if (!reset_spatial) {
    spatial = spatial + static_cast<int64_t>(temporal_offset);
  }
  if (fps_modulation) {
    const double base_tokens_per_second = base_fps / static_cast<double>(vae_temporal_compression);
    const at::Tensor t_index =
        (at::arange(num_tokens, kFloatOptions) + 1.0) / *fps * base_tokens_per_second +
        temporal_offset;
    const at::Tensor spatial_float = spatial.to(at::kFloat);
    return at::stack({t_index, spatial_float, spatial_float});
  }
  const at::Tensor t_index =
      at::arange(num_tokens, kLongOptions) + static_cast<int64_t>(temporal_offset) + 1;
  return at::stack({t_index, spatial, spatial});
}

}  // namespace

ActionTokens prepare_action_tokens(ActionMode mode, int64_t chunk_size, int64_t action_dim,
                                   const std::optional<at::Tensor>& raw_actions_TD) {
  ActionTokens tokens;
  tokens.mask_T1 = at::zeros({chunk_size, 1});
  if (mode != ActionMode::kForwardDynamics) {
    tokens.clean_TD = at::zeros({chunk_size, action_dim});
    return tokens;
  }
  TORCH_CHECK(raw_actions_TD.has_value() && raw_actions_TD->dim() == 2 &&
                  raw_actions_TD->size(0) >= 1 && raw_actions_TD->size(1) <= action_dim,
              "forward dynamics needs checked raw actions [T, D <= action_dim]");
  at::Tensor actions = raw_actions_TD->to(at::kFloat);
  const int64_t available = actions.size(0);
  if (available < chunk_size) {
    const at::Tensor last = actions.narrow(0, available - 1, 1);
    actions = at::cat({actions, last.expand({chunk_size - available, -1})}, 0);
  }
  actions = actions.narrow(0, 0, chunk_size);
  if (actions.size(1) < action_dim) {
    actions = at::cat({actions, at::zeros({chunk_size, action_dim - actions.size(1)})}, 1);
  }
  tokens.clean_TD = actions.contiguous();
  tokens.mask_T1.fill_(1.0);
  for (int64_t index = 0; index < chunk_size; ++index) {
    tokens.condition_indexes.push_back(index);
  }
  return tokens;
}

at::Tensor initial_action_latents(const ActionTokens& tokens, const at::Tensor& noise_TD,
                                  int64_t raw_width) {
  const at::Tensor mask = tokens.mask_T1.to(noise_TD.device());
  at::Tensor latents = mask * tokens.clean_TD.to(noise_TD.device()) + (1.0 - mask) * noise_TD;
  latents.narrow(1, raw_width, latents.size(1) - raw_width).zero_();
  return latents;
}

ActionSegment prepare_action_segment(int64_t chunk_size,
                                     const std::vector<int64_t>& condition_indexes,
                                     int64_t domain_id, double temporal_offset, double fps,
                                     int64_t sequence_start, const model::TransformerConfig& config,
                                     int64_t vae_temporal_compression) {
  const std::set<int64_t> clean(condition_indexes.begin(), condition_indexes.end());
  std::vector<int64_t> noisy;
  std::vector<int64_t> mse_indexes;
  for (int64_t index = 0; index < chunk_size; ++index) {
    if (clean.count(index) == 0) {
      noisy.push_back(index);
      mse_indexes.push_back(sequence_start + index);
    }
  }
  ActionSegment segment;
  segment.token_shape = {chunk_size, 1, 1};
  segment.num_tokens = chunk_size;
  segment.num_noisy_tokens = static_cast<int64_t>(noisy.size());
  segment.sequence_indexes = at::arange(sequence_start, sequence_start + chunk_size, kLongOptions);
  segment.mse_loss_indexes = at::tensor(mse_indexes, kLongOptions);
  segment.noisy_frame_indexes = at::tensor(noisy, kLongOptions);
  segment.domain_id = at::tensor(std::vector<int64_t>{domain_id}, kLongOptions);
  const std::optional<double> modulation_fps =
      config.enable_fps_modulation ? std::optional<double>(fps) : std::nullopt;
  segment.positions_3N = action_positions(
      chunk_size, temporal_offset, config.unified_3d_mrope_reset_spatial_ids, modulation_fps,
      static_cast<double>(config.base_fps), vae_temporal_compression);
  return segment;
}

}  // namespace cosmos3::pipeline
