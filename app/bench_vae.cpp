// cosmos3-bench-vae: times the decode of normalised random latents by a random-weight,
// full-size Cosmos3 VAE (Wan2.2 layout, decoder only) in bf16, and prints one table row.
// benchmarks/run_vae_decode.sh runs it beside the diffusers reference on the same GPU.

#include "app/bench_support.h"
#include "core/cli/usage_error.h"
#include "core/errors.h"
#include "core/vae/vae_weight_sources.h"
#include "core/vae/wan_vae.h"

#include <ATen/ops/randn.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace cosmos3;

namespace {

struct BenchOptions {
  int64_t height = 720;
  int64_t width = 1280;
  int64_t frames = 189;
  int64_t frames_per_chunk = 1;  // latent frames per decoder call after the first
  int64_t warmup = 1;
  int64_t iterations = 2;
  c10::Device device = c10::Device(c10::kCPU);
};

cli::Command bench_command(BenchOptions& options) {
  cli::Command command("cosmos3-bench-vae",
                       "Times the bf16 decode of random latents by a random-weight, full-size\n"
                       "Cosmos3 VAE (decoder only) and prints one table row.");
  command
      .add_flag(bench::integer_flag("--height", "video height, a multiple of 16", options.height))
      .add_flag(bench::integer_flag("--width", "video width, a multiple of 16", options.width))
      .add_flag(bench::integer_flag("--frames", "video frames, 1 + 4k", options.frames))
      .add_flag(bench::integer_flag("--frames-per-chunk",
                                    "latent frames per decoder call after the first",
                                    options.frames_per_chunk))
      .add_flag(bench::integer_flag("--warmup", "untimed decodes first", options.warmup))
      .add_flag(bench::integer_flag("--iterations", "timed decodes, >= 1", options.iterations))
      .add_flag(bench::device_flag(options.device));
  return command;
}

int run_bench(const BenchOptions& options) {
  if (options.height % 16 != 0 || options.width % 16 != 0 || (options.frames - 1) % 4 != 0 ||
      options.iterations < 1) {
    throw cli::UsageError(
        "--height and --width must be multiples of 16, --frames 1 + 4k, and "
        "--iterations at least 1");
  }
  c10::InferenceMode inference_mode;
  const vae::VaeConfig config = vae::cosmos3_reference_vae_config();
  vae::RandomVaeWeightSource source(options.device, at::kBFloat16, 0);
  const auto load_start = std::chrono::steady_clock::now();
  const vae::WanVae vae(config,
                        vae::load_vae_weights(config, source, at::kBFloat16, options.device,
                                              vae::VaeParts::kDecoderOnly),
                        at::kBFloat16);
  bench::synchronize(options.device);
  const double load_seconds = bench::seconds_since(load_start);
  const int64_t latent_frames = (options.frames - 1) / config.scale_factor_temporal + 1;
  const int64_t latent_height = options.height / config.scale_factor_spatial;
  const int64_t latent_width = options.width / config.scale_factor_spatial;
  const at::Tensor latents =
      at::randn({1, config.z_dim, latent_frames, latent_height, latent_width},
                at::TensorOptions().device(options.device).dtype(at::kBFloat16));
  std::vector<double> seconds;
  for (int64_t run = 0; run < options.warmup + options.iterations; ++run) {
    if (run == options.warmup) {
      bench::reset_peak_memory(options.device);
    }
    bench::synchronize(options.device);
    const auto start = std::chrono::steady_clock::now();
    const at::Tensor pixels = vae.decode_chunked(latents, options.frames_per_chunk);
    bench::synchronize(options.device);
    if (run >= options.warmup) {
      seconds.push_back(bench::seconds_since(start));
    }
  }
  std::sort(seconds.begin(), seconds.end());
  const double peak_gib = bench::peak_memory_gib(options.device);
  std::printf(
      "ours vae_decode %lldx%lldx%lld latent=%lldx%lldx%lld chunk=%lld median_s=%.4f "
      "min_s=%.4f peak_gib=%.2f weights_s=%.1f\n",
      static_cast<long long>(options.height), static_cast<long long>(options.width),
      static_cast<long long>(options.frames), static_cast<long long>(latent_frames),
      static_cast<long long>(latent_height), static_cast<long long>(latent_width),
      static_cast<long long>(options.frames_per_chunk), seconds[seconds.size() / 2],
      seconds.front(), peak_gib, load_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  cli::Command command = bench_command(options);
  command.set_action([&options] { return run_bench(options); });
  return bench::run_bench_program(command, argc, argv);
}
