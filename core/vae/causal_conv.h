#pragma once
// Causal 3-D convolutions run chunk by chunk over time. Each conv keeps the last input frames
// of the previous chunk, so decoding one latent frame at a time gives what one pass over the
// whole clip with front zero padding would (the reference's `feat_cache`).
//
// Shape legend: B batch, C channels, T frames, H height, W width.

#include "core/vae/row_slabs.h"
#include "core/vae/vae_weights.h"

#include <ATen/core/Tensor.h>

#include <deque>

namespace cosmos3::vae {

// The state one causal layer carries from chunk to chunk.
struct CausalCache {
  bool started = false;     // the layer has seen a chunk
  at::Tensor frames_BCTHW;  // the trailing input frames it needs next; undefined when none
};

// The caches of every causal layer of an encoder or decoder. Layers take slots in the order
// they run, which is the same for every chunk.
class FeatureCache {
 public:
  void begin_chunk() { cursor_ = 0; }
  CausalCache& next_slot();

 private:
  std::deque<CausalCache> slots_;  // a deque keeps handed-out references valid as it grows
  size_t cursor_ = 0;
};

// A stride-1 conv with kernel (kt, kh, kw): time is padded with kt - 1 frames in front (the
// cached frames, then zeros), space symmetrically by kh / 2 and kw / 2. With a cache, the
// input's last kt - 1 frames (counting cached ones) are kept for the next chunk. With `slabs`
// the rows come from the neighbouring slabs instead of zero padding (one halo exchange), and
// the cache keeps the frames with their halo rows, so later chunks need no exchange for them.
at::Tensor causal_conv3d(const at::Tensor& x_BCTHW, const Conv& conv, CausalCache* cache,
                         RowSlabs* slabs = nullptr);

}  // namespace cosmos3::vae
