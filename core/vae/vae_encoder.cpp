#include "core/vae/vae_stacks.h"

#include "core/vae/vae_blocks.h"

namespace cosmos3::vae {

at::Tensor encode_chunk(const at::Tensor& patches_BCTHW, const EncoderWeights& weights,
                        FeatureCache& cache, RowSlabs* slabs) {
  cache.begin_chunk();
  at::Tensor hidden = causal_conv3d(patches_BCTHW, weights.conv_in, &cache.next_slot(), slabs);
  for (const DownBlockWeights& block : weights.down_blocks) {
    hidden = down_block(hidden, block, cache, slabs);
  }
  hidden = mid_block(hidden, weights.mid_block, cache, slabs);
  return output_head(hidden, weights.norm_out, weights.conv_out, cache, slabs);
}

}  // namespace cosmos3::vae
