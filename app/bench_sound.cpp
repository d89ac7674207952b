// cosmos3-bench-sound: times the decode of random sound latents by a random-weight, full-size
// Cosmos3 sound tokenizer decoder (48 kHz stereo, hop 1920) and prints one table row.
// benchmarks/run_sound_decode.sh runs it beside the diffusers reference on the same GPU.

#include "app/bench_support.h"
#include "core/cli/usage_error.h"
#include "core/errors.h"
#include "core/sound/sound_decoder.h"
#include "core/sound/sound_weight_sources.h"

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
  int64_t latent_frames = 197;  // a 189-frame video at 24 fps
  std::string dtype = "bfloat16";
  int64_t warmup = 1;
  int64_t iterations = 3;
  c10::Device device = c10::Device(c10::kCPU);
};

cli::Command bench_command(BenchOptions& options) {
  cli::Command command("cosmos3-bench-sound",
                       "Times the decode of random sound latents by a random-weight, full-size\n"
                       "Cosmos3 sound tokenizer decoder and prints one table row.");
  command
      .add_flag(bench::integer_flag(
          "--latent-frames", "sound latent frames (197: 189 video frames)", options.latent_frames))
      .add_flag({.name = "--dtype",
                 .value_name = "T",
                 .help = "bfloat16 or float32 (default bfloat16)",
                 .set = [&options](auto, auto value) { options.dtype = std::string(value); }})
      .add_flag(bench::integer_flag("--warmup", "untimed decodes first", options.warmup))
      .add_flag(bench::integer_flag("--iterations", "timed decodes, >= 1", options.iterations))
      .add_flag(bench::device_flag(options.device));
  return command;
}

int run_bench(const BenchOptions& options) {
  if (options.latent_frames < 1 || options.iterations < 1 ||
      (options.dtype != "bfloat16" && options.dtype != "float32")) {
    throw cli::UsageError(
        "--latent-frames and --iterations must be at least 1, --dtype bfloat16 or float32");
  }
  const c10::ScalarType dtype = options.dtype == "float32" ? at::kFloat : at::kBFloat16;
  c10::InferenceMode inference_mode;
  const sound::SoundTokenizerConfig config = sound::cosmos3_reference_sound_tokenizer_config();
  sound::RandomSoundWeightSource source(options.device, dtype, 0);
  const auto load_start = std::chrono::steady_clock::now();
  const sound::SoundDecoder decoder =
      sound::SoundDecoder::build(config, source, dtype, options.device);
  bench::synchronize(options.device);
  const double load_seconds = bench::seconds_since(load_start);
  const at::Tensor latents = at::randn({config.vocoder_input_dim, options.latent_frames},
                                       at::TensorOptions().device(options.device).dtype(dtype));
  std::vector<double> seconds;
  int64_t num_samples = 0;
  for (int64_t run = 0; run < options.warmup + options.iterations; ++run) {
    if (run == options.warmup) {
      bench::reset_peak_memory(options.device);
    }
    bench::synchronize(options.device);
    const auto start = std::chrono::steady_clock::now();
    const at::Tensor waveform = decoder.decode(latents);
    bench::synchronize(options.device);
    num_samples = waveform.size(1);
    if (run >= options.warmup) {
      seconds.push_back(bench::seconds_since(start));
    }
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf(
      "ours sound_decode T=%lld dtype=%s samples=%lld median_s=%.4f min_s=%.4f peak_gib=%.2f "
      "weights_s=%.1f\n",
      static_cast<long long>(options.latent_frames), options.dtype.c_str(),
      static_cast<long long>(num_samples), seconds[seconds.size() / 2], seconds.front(),
      bench::peak_memory_gib(options.device), load_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  cli::Command command = bench_command(options);
  command.set_action([&options] { return run_bench(options); });
  return bench::run_bench_program(command, argc, argv);
}
