#include "core/vae/vae_stacks.h"

#include "core/vae/vae_blocks.h"

namespace cosmos3::vae {

at::Tensor encode_chunk(const at::Tensor& patches_BCTHW, const EncoderWeights& weights,
                        FeatureCache& cache) {
  cache.begin_chunk();
  at::Tensor hidden = causal_conv3d(patches_BCTHW, weights.conv_in, &cache.next_slot());
  for (const DownBlockWeights& block : weights.down_blocks) {
    hidden = down_block(hidden, block, cache);
  }
  hidden = mid_block(hidden, weights.mid_block, cache);
  return output_head(hidden, weights.norm_out, weights.conv_out, cache);
}

}  // namespace cosmos3::vae
