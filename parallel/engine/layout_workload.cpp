#include "parallel/engine/layout_workload.h"

namespace cosmos3::parallel {

int64_t num_vision_tokens(const std::array<int64_t, 3>& latent_thw,
                          const model::TransformerConfig& config) {
  const int64_t patch = config.latent_patch_size;
  const int64_t grid_h = (latent_thw[1] + patch - 1) / patch;
  const int64_t grid_w = (latent_thw[2] + patch - 1) / patch;
  return latent_thw[0] * grid_h * grid_w;
}

}  // namespace cosmos3::parallel
