#include "app/bench_models.h"

#include "core/errors.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/full.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/stack.h>

namespace cosmos3::bench {

// Full-size configs of the published families (facts.md, section 1).
model::TransformerConfig family_config(const std::string& family) {
  model::TransformerConfig config;  // defaults are Nano's
  config.sound_gen = true;
  config.sound_dim = 64;
  config.action_gen = true;
  config.action_dim = 64;
  if (family == "super") {
    config.hidden_size = 5120;
    config.num_hidden_layers = 64;
    config.num_attention_heads = 64;
    config.intermediate_size = 25600;
  } else if (family == "edge") {
    config.hidden_size = 2048;
    config.num_hidden_layers = 28;
    config.num_attention_heads = 16;
    config.intermediate_size = 9216;
    config.hidden_act = model::Activation::kRelu2;
    config.qk_norm_for_text = false;
    config.use_und_k_norm_for_gen = true;
    config.rms_norm_eps = 1e-5;
    config.rope_theta = 1e8;
    config.vocab_size = 131072;
    config.sound_gen = false;
  } else if (family != "nano") {
    throw UserError("--family must be nano, super or edge, got '" + family + "'");
  }
  return config;
}

model::TransformerInputs synthetic_inputs(const model::TransformerConfig& config,
                                          const VideoShape& shape, const c10::Device& device,
                                          c10::ScalarType dtype) {
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  const int64_t latent_frames = (shape.frames - 1) / 4 + 1;
  const int64_t latent_height = shape.height / 16;
  const int64_t latent_width = shape.width / 16;
  const int64_t patch = config.latent_patch_size;
  const int64_t h_patches = (latent_height + patch - 1) / patch;
  const int64_t w_patches = (latent_width + patch - 1) / patch;
  const int64_t num_vision = latent_frames * h_patches * w_patches;
  const int64_t text = shape.text_tokens;
  const int64_t total = text + num_vision;
  at::Tensor positions = at::arange(total, long_options);
  model::ModalityInputs vision{
      {at::randn({1, config.latent_channel, latent_frames, latent_height, latent_width})
           .to(device, dtype)},
      {{latent_frames, h_patches, w_patches}},
      at::arange(text, total, long_options),
      at::arange(text, total, long_options),
      at::full({num_vision}, 500.0),
      {at::arange(latent_frames, long_options)},
      {}};
  return model::TransformerInputs{at::randint(config.vocab_size, {text}, long_options),
                                  at::arange(text, long_options),
                                  at::stack({positions, positions, positions}),
                                  text,
                                  total,
                                  std::move(vision),
                                  std::nullopt,
                                  std::nullopt};
}

}  // namespace cosmos3::bench
