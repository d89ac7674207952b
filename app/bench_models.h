#pragma once
// Full-size Cosmos3 transformers with random weights and synthetic text-to-video inputs, the
// workload every transformer benchmark times (the diffusers side in
// benchmarks/transformer_forward_reference.py builds the same).

#include "core/model/transformer_config.h"
#include "core/model/transformer_io.h"

#include <cstdint>
#include <string>

namespace cosmos3::bench {

// The published families' configs: "nano", "super" or "edge"; throws UserError otherwise.
model::TransformerConfig family_config(const std::string& family);

struct VideoShape {
  int64_t height = 720;
  int64_t width = 1280;
  int64_t frames = 189;
  int64_t text_tokens = 300;
};

// Text-to-video layout: `shape.text_tokens` text tokens, then every latent frame noisy. The
// tensors are made on the CPU from the global generator; the latents then move to `device` in
// `dtype`, where the denoise loop keeps them (the reference benchmark does the same), so that a
// step does not time a host-to-device copy the loop never makes.
model::TransformerInputs synthetic_inputs(const model::TransformerConfig& config,
                                          const VideoShape& shape, const c10::Device& device,
                                          c10::ScalarType dtype);

}  // namespace cosmos3::bench
