#include "core/vae/causal_conv.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/conv3d.h>

namespace cosmos3::vae {

CausalCache& FeatureCache::next_slot() {
  if (cursor_ == slots_.size()) {
    slots_.emplace_back();
  }
  return slots_[cursor_++];
}

at::Tensor causal_conv3d(const at::Tensor& x_BCTHW, const Conv& conv, CausalCache* cache,
                         RowSlabs* slabs) {
  const int64_t kernel_t = conv.weight.size(2);
  const int64_t history = kernel_t - 1;
  const int64_t halo_rows = conv.weight.size(3) / 2;
  const bool exchanges_rows = slabs != nullptr && halo_rows > 0;
  // Split by rows, the neighbours' rows (or zeros at the frame's border) stand in for the
  // conv's own row padding.
  const at::Tensor rows_BCTHW =
      exchanges_rows ? slabs->add_halo(x_BCTHW, halo_rows, halo_rows) : x_BCTHW;
  const int64_t pad_h = exchanges_rows ? 0 : halo_rows;
  at::Tensor input_BCTHW = rows_BCTHW;
  if (cache != nullptr && cache->frames_BCTHW.defined()) {
    input_BCTHW = at::cat({cache->frames_BCTHW, rows_BCTHW}, 2);
  }
  if (cache != nullptr && history > 0) {
    const int64_t kept = std::min(history, input_BCTHW.size(2));
    // A copy, so the cache does not keep the whole chunk alive.
    cache->frames_BCTHW = input_BCTHW.narrow(2, input_BCTHW.size(2) - kept, kept).clone();
    cache->started = true;
  }
  const int64_t zero_frames = history - (input_BCTHW.size(2) - x_BCTHW.size(2));
  if (zero_frames > 0) {
    input_BCTHW = at::constant_pad_nd(input_BCTHW, {0, 0, 0, 0, zero_frames, 0});
  }
  // Spatial padding inside the conv saves a padded copy of every activation; zeros add
  // nothing, so only the summation order can differ from padding first.
  const int64_t pad_w = conv.weight.size(4) / 2;
  return at::conv3d(input_BCTHW, conv.weight, conv.bias, {1, 1, 1}, {0, pad_h, pad_w});
}

}  // namespace cosmos3::vae
