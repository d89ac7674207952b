// cosmos3-bench-transformer: times one transformer forward of a random-weight, full-size
// model on synthetic text-to-video inputs, and prints one table row. benchmarks/ runs it
// beside the diffusers reference on the same GPU.

#include "core/errors.h"
#include "core/model/random_weight_source.h"
#include "core/model/transformer.h"

#include <ATen/DeviceAccelerator.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/full.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/stack.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace cosmos3;

namespace {

struct BenchOptions {
  std::string family = "nano";
  int64_t height = 720;
  int64_t width = 1280;
  int64_t frames = 189;
  int64_t text_tokens = 300;
  int64_t warmup = 1;
  int64_t iterations = 3;
  c10::Device device = c10::Device(c10::kCPU);
};

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

// Text-to-video layout: text tokens, then every latent frame noisy.
model::TransformerInputs synthetic_inputs(const model::TransformerConfig& config,
                                          const BenchOptions& options) {
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  const int64_t latent_frames = (options.frames - 1) / 4 + 1;
  const int64_t latent_height = options.height / 16;
  const int64_t latent_width = options.width / 16;
  const int64_t patch = config.latent_patch_size;
  const int64_t h_patches = (latent_height + patch - 1) / patch;
  const int64_t w_patches = (latent_width + patch - 1) / patch;
  const int64_t num_vision = latent_frames * h_patches * w_patches;
  const int64_t text = options.text_tokens;
  const int64_t total = text + num_vision;
  at::Tensor positions = at::arange(total, long_options);
  model::ModalityInputs vision{
      {at::randn({1, config.latent_channel, latent_frames, latent_height, latent_width})},
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

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) {
    at::accelerator::synchronizeDevice(device.index() < 0 ? 0 : device.index());
  }
}

BenchOptions parse_options(int argc, char** argv) {
  BenchOptions options;
  std::map<std::string, std::string> values;
  for (int i = 1; i + 1 < argc; i += 2) {
    values[argv[i]] = argv[i + 1];
  }
  if (argc % 2 == 0) {
    throw UserError(std::string("option '") + argv[argc - 1] + "' needs a value");
  }
  for (const auto& [flag, value] : values) {
    if (flag == "--family") {
      options.family = value;
    } else if (flag == "--height") {
      options.height = std::stoll(value);
    } else if (flag == "--width") {
      options.width = std::stoll(value);
    } else if (flag == "--frames") {
      options.frames = std::stoll(value);
    } else if (flag == "--text-tokens") {
      options.text_tokens = std::stoll(value);
    } else if (flag == "--warmup") {
      options.warmup = std::stoll(value);
    } else if (flag == "--iterations") {
      options.iterations = std::stoll(value);
    } else if (flag == "--device") {
      options.device = c10::Device(value);
    } else {
      throw UserError("unknown option '" + flag +
                      "' (known: --family --height --width --frames --text-tokens --warmup "
                      "--iterations --device)");
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const BenchOptions options = parse_options(argc, argv);
    c10::InferenceMode inference_mode;
    const model::TransformerConfig config = family_config(options.family);
    model::RandomWeightSource source(options.device, at::kBFloat16, 0);
    const auto load_start = std::chrono::steady_clock::now();
    const model::Transformer transformer(
        config, model::load_transformer_weights(config, source, at::kBFloat16, options.device),
        at::kBFloat16);
    synchronize(options.device);
    const double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    const model::TransformerInputs inputs = synthetic_inputs(config, options);
    std::vector<double> seconds;
    for (int64_t run = 0; run < options.warmup + options.iterations; ++run) {
      if (run == options.warmup && options.device.is_cuda()) {
        at::accelerator::resetPeakStats(options.device.index() < 0 ? 0 : options.device.index());
      }
      synchronize(options.device);
      const auto start = std::chrono::steady_clock::now();
      transformer.forward(inputs);
      synchronize(options.device);
      if (run >= options.warmup) {
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    }
    std::sort(seconds.begin(), seconds.end());
    double peak_gib = 0;
    if (options.device.is_cuda()) {
      const auto stats =
          at::accelerator::getDeviceStats(options.device.index() < 0 ? 0 : options.device.index());
      peak_gib = static_cast<double>(stats.allocated_bytes[0].peak) / (1 << 30);
    }
    std::printf(
        "ours %s %lldx%lldx%lld gen_tokens=%lld text_tokens=%lld median_s=%.4f min_s=%.4f "
        "peak_gib=%.2f weights_s=%.1f\n",
        options.family.c_str(), static_cast<long long>(options.height),
        static_cast<long long>(options.width), static_cast<long long>(options.frames),
        static_cast<long long>(inputs.sequence_length - inputs.und_len),
        static_cast<long long>(inputs.und_len), seconds[seconds.size() / 2], seconds.front(),
        peak_gib, load_seconds);
    return 0;
  } catch (const UserError& error) {
    std::cerr << "cosmos3-bench-transformer: " << error.what() << '\n';
    return 1;
  }
}
