#pragma once
// What one job asks of a parallel layout, as far as memory and step time care: the tokens one
// CFG branch runs through the transformer and the dtype the weights and activations use.

#include "core/model/transformer_config.h"

#include <c10/core/ScalarType.h>

#include <array>
#include <cstdint>

namespace cosmos3::parallel {

struct LayoutWorkload {
  int64_t num_generation_tokens = 0;  // the generation stream cp splits (vision patches, ...)
  int64_t num_text_tokens = 300;      // the cond prompt; the text stream is replicated
  int64_t num_uncond_text_tokens = 100;
  c10::ScalarType dtype = c10::ScalarType::BFloat16;
};

// Vision patches of a latent grid [T, H, W]: the model patchifies H and W by its
// latent_patch_size (rounded up, as the transformer pads), T frame by frame.
int64_t num_vision_tokens(const std::array<int64_t, 3>& latent_thw,
                          const model::TransformerConfig& config);

}  // namespace cosmos3::parallel
