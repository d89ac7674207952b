#include "core/pipeline/transfer_layout.h"

#include <ATen/ops/cat.h>

namespace cosmos3::pipeline {
namespace {

std::vector<int64_t> all_frames(int64_t num_frames) {
  std::vector<int64_t> frames;
  for (int64_t frame = 0; frame < num_frames; ++frame) {
    frames.push_back(frame);
  }
  return frames;
}

}  // namespace

TransferBranchLayout build_transfer_branch(
    const std::vector<int64_t>& input_ids,
    const std::vector<std::vector<int64_t>>& control_latent_shapes,
    const std::vector<int64_t>& target_latent_shape,
    const std::vector<int64_t>& target_condition_frames, double fps,
    const model::TransformerConfig& config, int64_t vae_temporal_compression) {
  TransferBranchLayout branch;
  branch.text = prepare_text_segment(input_ids, config);
  const double offset = branch.text.vision_start_temporal_offset;
  int64_t next_index = branch.text.und_len;
  std::vector<at::Tensor> positions{branch.text.positions_3N};
  const auto add_item = [&](const std::vector<int64_t>& shape,
                            const std::vector<int64_t>& condition_frames) {
    VisionSegment item = prepare_vision_segment(shape, condition_frames, offset, fps, next_index,
                                                config, vae_temporal_compression);
    next_index += item.num_tokens;
    positions.push_back(item.positions_3N);
    branch.items.push_back(std::move(item));
  };
  for (const std::vector<int64_t>& shape : control_latent_shapes) {
    add_item(shape, all_frames(shape[2]));
  }
  add_item(target_latent_shape, target_condition_frames);
  branch.position_ids = at::cat(positions, 1);
  branch.sequence_length = next_index;
  branch.num_noisy_tokens = branch.items.back().num_noisy_tokens;
  return branch;
}

model::TransformerInputs transfer_inputs(const TransferBranchLayout& branch,
                                         std::vector<at::Tensor> vision_items,
                                         const at::Tensor& timesteps) {
  TORCH_CHECK(vision_items.size() == branch.items.size(), "transfer pass with ",
              branch.items.size(), " vision items given ", vision_items.size());
  model::ModalityInputs vision;
  vision.tokens = std::move(vision_items);
  std::vector<at::Tensor> sequence_indexes;
  std::vector<at::Tensor> mse_loss_indexes;
  for (const VisionSegment& item : branch.items) {
    vision.token_shapes.push_back(item.token_shape);
    vision.noisy_frame_indexes.push_back(item.noisy_frame_indexes);
    sequence_indexes.push_back(item.sequence_indexes);
    mse_loss_indexes.push_back(item.mse_loss_indexes);
  }
  vision.sequence_indexes = at::cat(sequence_indexes, 0);
  vision.mse_loss_indexes = at::cat(mse_loss_indexes, 0);
  vision.timesteps = timesteps;
  return model::TransformerInputs{
      branch.text.input_ids,  branch.text.text_indexes, branch.position_ids, branch.text.und_len,
      branch.sequence_length, std::move(vision),        std::nullopt,        std::nullopt};
}

}  // namespace cosmos3::pipeline
