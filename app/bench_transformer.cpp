// cosmos3-bench-transformer: times one transformer forward of a random-weight, full-size
// model on synthetic text-to-video inputs, and prints one table row. benchmarks/ runs it
// beside the diffusers reference on the same GPU.

#include "app/bench_models.h"
#include "app/bench_support.h"
#include "core/errors.h"
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
};

BenchOptions parse_options(int argc, char** argv) {
  const bench::BenchArguments arguments(argc, argv,
                                        {"--family", "--height", "--width", "--frames",
                                         "--text-tokens", "--warmup", "--iterations", "--device"});
  BenchOptions options;
  options.family = arguments.text("--family", options.family);
  options.shape.height = arguments.integer("--height", options.shape.height);
  options.shape.width = arguments.integer("--width", options.shape.width);
  options.shape.frames = arguments.integer("--frames", options.shape.frames);
  options.shape.text_tokens = arguments.integer("--text-tokens", options.shape.text_tokens);
  options.warmup = arguments.integer("--warmup", options.warmup);
  options.iterations = arguments.integer("--iterations", options.iterations);
  options.device = bench::parse_device(arguments.text("--device", "cpu"));
  if (options.iterations < 1 || options.warmup < 0) {
    throw UserError("--iterations must be at least 1 and --warmup at least 0");
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const BenchOptions options = parse_options(argc, argv);
    c10::InferenceMode inference_mode;
    const model::TransformerConfig config = bench::family_config(options.family);
    model::RandomWeightSource source(options.device, at::kBFloat16, 0);
    const auto load_start = std::chrono::steady_clock::now();
    const model::Transformer transformer(
        config, model::load_transformer_weights(config, source, at::kBFloat16, options.device),
        at::kBFloat16);
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
      transformer.forward(inputs);
      bench::synchronize(options.device);
      if (run >= options.warmup) {
        seconds.push_back(bench::seconds_since(start));
      }
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf(
        "ours %s %lldx%lldx%lld gen_tokens=%lld text_tokens=%lld median_s=%.4f min_s=%.4f "
        "peak_gib=%.2f weights_s=%.1f\n",
        options.family.c_str(), static_cast<long long>(options.shape.height),
        static_cast<long long>(options.shape.width), static_cast<long long>(options.shape.frames),
        static_cast<long long>(inputs.sequence_length - inputs.und_len),
        static_cast<long long>(inputs.und_len), seconds[seconds.size() / 2], seconds.front(),
        bench::peak_memory_gib(options.device), load_seconds);
    return 0;
  } catch (const UserError& error) {
    std::cerr << "cosmos3-bench-transformer: " << error.what() << '\n';
    return 1;
  }
}
