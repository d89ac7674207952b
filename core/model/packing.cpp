#include "core/model/packing.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/index_copy.h>
#include <ATen/ops/zeros.h>

namespace cosmos3::model {
namespace {

int64_t round_up(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

at::Tensor patchify(const at::Tensor& latent_1CTHW, int64_t patch_size) {
  const at::Tensor latent = latent_1CTHW.squeeze(0);
  const int64_t channels = latent.size(0);
  const int64_t frames = latent.size(1);
  const int64_t height = latent.size(2);
  const int64_t width = latent.size(3);
  const int64_t padded_height = round_up(height, patch_size);
  const int64_t padded_width = round_up(width, patch_size);
  const at::Tensor padded =
      at::constant_pad_nd(latent, {0, padded_width - width, 0, padded_height - height}, 0);
  return padded
      .reshape({channels, frames, padded_height / patch_size, patch_size, padded_width / patch_size,
                patch_size})
      .permute({1, 2, 4, 3, 5, 0})
      .reshape({-1, patch_size * patch_size * channels});
}

at::Tensor unpatchify(const at::Tensor& predictions_ND, const std::array<int64_t, 3>& token_shape,
                      const at::Tensor& noisy_frame_indexes, int64_t height, int64_t width,
                      int64_t patch_size) {
  const int64_t channels = predictions_ND.size(1) / (patch_size * patch_size);
  const int64_t h_patches = round_up(height, patch_size) / patch_size;
  const int64_t w_patches = round_up(width, patch_size) / patch_size;
  const int64_t num_noisy_frames = noisy_frame_indexes.size(0);
  at::Tensor output =
      at::zeros({channels, token_shape[0], height, width}, predictions_ND.options());
  if (num_noisy_frames > 0) {
    const at::Tensor frames =
        predictions_ND
            .reshape({num_noisy_frames, h_patches, w_patches, patch_size, patch_size, channels})
            .permute({5, 0, 1, 3, 2, 4})
            .reshape({channels, num_noisy_frames, h_patches * patch_size, w_patches * patch_size})
            .slice(2, 0, height)
            .slice(3, 0, width);
    output.index_copy_(1, noisy_frame_indexes.to(output.device()), frames);
  }
  return output.unsqueeze(0);
}

at::Tensor noisy_token_rows(const std::vector<at::Tensor>& noisy_frame_indexes,
                            const std::vector<std::array<int64_t, 3>>& token_shapes) {
  std::vector<at::Tensor> rows;
  int64_t item_start = 0;
  for (std::size_t item = 0; item < token_shapes.size(); ++item) {
    const int64_t spatial = token_shapes[item][1] * token_shapes[item][2];
    const at::Tensor& frames = noisy_frame_indexes[item];
    const at::Tensor offsets = at::arange(spatial, frames.options());
    rows.push_back(((frames * spatial).unsqueeze(-1) + offsets + item_start).flatten());
    item_start += token_shapes[item][0] * spatial;
  }
  return at::cat(rows, 0);
}

std::vector<at::Tensor> scatter_frame_predictions(
    const at::Tensor& predictions_ND, const std::vector<std::array<int64_t, 3>>& token_shapes,
    const std::vector<at::Tensor>& noisy_frame_indexes) {
  std::vector<at::Tensor> items;
  int64_t start = 0;
  for (std::size_t item = 0; item < token_shapes.size(); ++item) {
    at::Tensor output =
        at::zeros({token_shapes[item][0], predictions_ND.size(1)}, predictions_ND.options());
    const int64_t num_noisy = noisy_frame_indexes[item].size(0);
    if (num_noisy > 0) {
      // The indexes come from the CPU-side input layout; the predictions may be on a GPU.
      output.index_copy_(0, noisy_frame_indexes[item].to(output.device()),
                         predictions_ND.slice(0, start, start + num_noisy));
      start += num_noisy;
    }
    items.push_back(output);
  }
  return items;
}

}  // namespace cosmos3::model
