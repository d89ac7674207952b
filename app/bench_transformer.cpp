// cosmos3-bench-transformer: times one transformer forward of a random-weight, full-size
// model on synthetic text-to-video inputs, and prints one table row. benchmarks/ runs it
// beside the diffusers reference on the same GPU. --profile adds a kernel-time table of one more
// forward (attention / GEMM / the rest); --attention sdpa keeps FlashAttention-3 off.

#include "app/bench_kernel_profile.h"
#include "app/bench_models.h"
#include "app/bench_support.h"
#include "core/cli/typed_values.h"
#include "core/cli/usage_error.h"
#include "core/errors.h"
#include "core/kernels/flash_attention3.h"
#include "core/model/random_weight_source.h"
#include "core/model/transformer.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace cosmos3;

namespace {

struct BenchOptions {
  std::string family = "nano";
  bench::VideoShape shape;
  int64_t warmup = 1;
  int64_t iterations = 3;
  c10::Device device = c10::Device(c10::kCPU);
  model::Precision precision = model::Precision::kBf16;
  bool profile = false;
};

cli::Command bench_command(BenchOptions& options) {
  cli::Command command("cosmos3-bench-transformer",
                       "Times one bf16 transformer forward of a random-weight, full-size model\n"
                       "on synthetic text-to-video inputs and prints one table row.");
  command.add_flag(bench::family_flag(options.family))
      .add_flag(bench::integer_flag("--height", "video height", options.shape.height))
      .add_flag(bench::integer_flag("--width", "video width", options.shape.width))
      .add_flag(bench::integer_flag("--frames", "video frames", options.shape.frames))
      .add_flag(bench::integer_flag("--text-tokens", "prompt tokens", options.shape.text_tokens))
      .add_flag(bench::integer_flag("--warmup", "untimed forwards first", options.warmup))
      .add_flag(bench::integer_flag("--iterations", "timed forwards, >= 1", options.iterations))
      .add_flag(bench::device_flag(options.device))
      .add_flag({.name = "--precision",
                 .value_name = "P",
                 .help = "bf16 or fp8: the generation tower's GEMMs (default bf16; fp8 CUDA only)",
                 .set =
                     [&options](auto flag, auto value) {
                       options.precision = cli::to_enum<model::Precision>(
                           flag, value,
                           {{"bf16", model::Precision::kBf16}, {"fp8", model::Precision::kFp8}});
                     }})
      .add_flag({.name = "--attention",
                 .value_name = "KERNEL",
                 .help = "auto (FlashAttention-3 where installed, else SDPA) or sdpa",
                 .set =
                     [](auto flag, auto value) {
                       kernels::set_flash_attention3_enabled(
                           cli::to_enum<bool>(flag, value, {{"auto", true}, {"sdpa", false}}));
                     }})
      .add_flag({.name = "--profile",
                 .help = "print the kernel time of one more forward by class",
                 .set = [&options](auto, auto) { options.profile = true; }});
  return command;
}

int run_bench(const BenchOptions& options) {
  if (options.iterations < 1 || options.warmup < 0) {
    throw cli::UsageError("--iterations must be at least 1 and --warmup at least 0");
  }
  c10::InferenceMode inference_mode;
  const model::TransformerConfig config = bench::family_config(options.family);
  model::RandomWeightSource source(options.device, at::kBFloat16, 0);
  const auto load_start = std::chrono::steady_clock::now();
  model::Transformer transformer(
      config, model::load_transformer_weights(config, source, at::kBFloat16, options.device),
      at::kBFloat16);
  if (options.precision == model::Precision::kFp8) {
    transformer.prepare_fp8();
  }
  model::ModelSeams single_rank;
  bench::synchronize(options.device);
  const double load_seconds = bench::seconds_since(load_start);
  const model::TransformerInputs inputs =
      bench::synthetic_inputs(config, options.shape, options.device, at::kBFloat16);
  std::vector<double> seconds;
  for (int64_t run = 0; run < options.warmup + options.iterations; ++run) {
    if (run == options.warmup) {
      bench::reset_peak_memory(options.device);
    }
    bench::synchronize(options.device);
    const auto start = std::chrono::steady_clock::now();
    transformer.forward(inputs, single_rank, options.precision);
    bench::synchronize(options.device);
    if (run >= options.warmup) {
      seconds.push_back(bench::seconds_since(start));
    }
  }
  std::sort(seconds.begin(), seconds.end());
  const std::string label = std::string("ours") +
                            (options.precision == model::Precision::kFp8 ? "_fp8" : "") + " " +
                            std::to_string(options.shape.height) + "p";
  if (options.profile) {
    bench::print_kernel_times(bench::profile_gpu_kernels([&] {
                                transformer.forward(inputs, single_rank, options.precision);
                                bench::synchronize(options.device);
                              }),
                              label, stdout);
  }
  std::printf("attention kernel: FlashAttention-3 %s\n",
              kernels::flash_attention3_status().c_str());
  std::printf(
      "ours%s %s %lldx%lldx%lld gen_tokens=%lld text_tokens=%lld median_s=%.4f min_s=%.4f "
      "peak_gib=%.2f weights_s=%.1f\n",
      options.precision == model::Precision::kFp8 ? "_fp8" : "", options.family.c_str(),
      static_cast<long long>(options.shape.height), static_cast<long long>(options.shape.width),
      static_cast<long long>(options.shape.frames),
      static_cast<long long>(inputs.sequence_length - inputs.und_len),
      static_cast<long long>(inputs.und_len), seconds[seconds.size() / 2], seconds.front(),
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
