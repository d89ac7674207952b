#include "core/vae/vae_stacks.h"

#include "core/vae/vae_blocks.h"

namespace cosmos3::vae {

at::Tensor decode_chunk(const at::Tensor& latents_BCTHW, const DecoderWeights& weights,
                        FeatureCache& cache, bool first_chunk, RowSlabs* slabs) {
  cache.begin_chunk();
  at::Tensor hidden = causal_conv3d(latents_BCTHW, weights.conv_in, &cache.next_slot(), slabs);
  hidden = mid_block(hidden, weights.mid_block, cache, slabs);
  for (const UpBlockWeights& block : weights.up_blocks) {
    hidden = up_block(hidden, block, cache, first_chunk, slabs);
  }
  return output_head(hidden, weights.norm_out, weights.conv_out, cache, slabs);
}

}  // namespace cosmos3::vae
