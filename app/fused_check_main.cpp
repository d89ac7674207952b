// cosmos3-fused-check: compares the fused CUDA kernels of core/kernels with the unfused ATen
// path and times both, on the device (see benchmarks/run_fused_check.sh). Parts:
//   --part kernels  every fused kernel at one token count, bf16 and fp32
//   --part forward  the random-weight full-size forward, fused vs unfused (bf16); "fused"
//                   includes FlashAttention-3 where installed, "unfused" runs SDPA
// Prints "check" rows (deviation against the stated tolerance, PASS/FAIL) and "time" rows;
// exits 1 when a check failed.
//
// The forward's tolerance, and why: the fused path rounds where the ATen path does, but its
// norms sum in another order and its QKV/gate-up GEMMs may run other cuBLAS algorithms, so
// one-ulp bf16 differences appear and grow through the layers; ||fused - unfused|| / ||unfused||
// <= 2e-2 on the predictions (with their cosine printed) separates that from a wrong kernel,
// which lands near 1.

#include "app/bench_support.h"
#include "app/fused_check.h"
#include "core/cli/typed_values.h"
#include "core/cli/usage_error.h"
#include "core/errors.h"
#include "core/kernels/flash_attention3.h"
#include "core/kernels/fused_ops.h"
#include "core/model/random_weight_source.h"
#include "core/model/transformer.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/isfinite.h>
#include <ATen/ops/max.h>
#include <ATen/ops/sum.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

namespace cosmos3::bench {

Deviation deviation(const at::Tensor& fused, const at::Tensor& reference) {
  const at::Tensor fused_float = fused.to(at::kFloat);
  const at::Tensor reference_float = reference.to(at::kFloat);
  Deviation found;
  found.finite = at::isfinite(fused_float).all().item<bool>();
  const at::Tensor difference = fused_float - reference_float;
  found.max_abs = difference.abs().max().item<double>();
  found.max_abs_reference = reference_float.abs().max().item<double>();
  const double reference_norm = reference_float.norm().item<double>();
  found.rel_l2 = difference.norm().item<double>() / std::max(reference_norm, 1e-30);
  found.cosine = (fused_float * reference_float).sum().item<double>() /
                 std::max(fused_float.norm().item<double>() * reference_norm, 1e-30);
  return found;
}

double median_seconds(const c10::Device& device, int64_t num_runs,
                      const std::function<void()>& work) {
  work();
  std::vector<double> seconds;
  for (int64_t run = 0; run < num_runs; ++run) {
    synchronize(device);
    const auto start = std::chrono::steady_clock::now();
    work();
    synchronize(device);
    seconds.push_back(seconds_since(start));
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

bool print_check_row(const std::string& name, const std::string& dtype, const Deviation& found,
                     double rel_l2_tolerance, double max_abs_tolerance_scale) {
  const double max_abs_tolerance = max_abs_tolerance_scale * found.max_abs_reference;
  const bool pass =
      found.finite && found.rel_l2 <= rel_l2_tolerance && found.max_abs <= max_abs_tolerance;
  std::printf("check %-26s %-4s max_abs=%.3e (tol %.3e) rel_l2=%.3e (tol %.1e) cos=%.8f %s%s\n",
              name.c_str(), dtype.c_str(), found.max_abs, max_abs_tolerance, found.rel_l2,
              rel_l2_tolerance, found.cosine, found.finite ? "" : "NON-FINITE ",
              pass ? "PASS" : "FAIL");
  std::fflush(stdout);
  return pass;
}

void print_time_row(const std::string& name, const std::string& dtype, double unfused_s,
                    double fused_s) {
  std::printf("time  %-26s %-4s unfused_ms=%9.3f fused_ms=%9.3f speedup=%.2fx\n", name.c_str(),
              dtype.c_str(), unfused_s * 1e3, fused_s * 1e3, unfused_s / fused_s);
  std::fflush(stdout);
}

int check_forward(const c10::Device& device, const std::string& family, const VideoShape& shape,
                  int64_t num_timing_runs) {
  const model::TransformerConfig config = family_config(family);
  model::RandomWeightSource source(device, at::kBFloat16, 0);
  model::Transformer transformer(
      config, model::load_transformer_weights(config, source, at::kBFloat16, device),
      at::kBFloat16);
  const model::TransformerInputs inputs = synthetic_inputs(config, shape, device, at::kBFloat16);
  std::printf("# forward %s %lldx%lldx%lld: %lld generation tokens, %lld text tokens\n",
              family.c_str(), static_cast<long long>(shape.height),
              static_cast<long long>(shape.width), static_cast<long long>(shape.frames),
              static_cast<long long>(inputs.sequence_length - inputs.und_len),
              static_cast<long long>(inputs.und_len));
  model::ModelSeams single_rank;
  const auto run = [&](model::Precision precision) {
    return transformer.forward(inputs, single_rank, precision).sample.at(0);
  };
  std::vector<at::Tensor> predictions;
  std::vector<double> seconds;
  for (const bool fused : {false, true}) {
    kernels::set_fused_path_enabled(fused);
    kernels::set_flash_attention3_enabled(fused);
    seconds.push_back(
        median_seconds(device, num_timing_runs, [&] { run(model::Precision::kBf16); }));
    predictions.push_back(run(model::Precision::kBf16));
  }
  const std::string label =
      "forward_" + std::to_string(shape.height) + "p" + std::to_string(shape.frames) + "f";
  const bool pass =
      print_check_row(label, "bf16", deviation(predictions[1], predictions[0]), 2e-2, 1.0);
  print_time_row(label, "bf16", seconds[0], seconds[1]);

  // FP8 (fused path on): its distance from the exact path is reported, not judged.
  transformer.prepare_fp8();
  const double fp8_s =
      median_seconds(device, num_timing_runs, [&] { run(model::Precision::kFp8); });
  const Deviation fp8 = deviation(run(model::Precision::kFp8), predictions[1]);
  std::printf(
      "fp8   %-26s fp8  vs bf16 fused: rel_l2=%.3e cos=%.6f max_abs=%.3e (max|bf16| %.3e)%s\n",
      label.c_str(), fp8.rel_l2, fp8.cosine, fp8.max_abs, fp8.max_abs_reference,
      fp8.finite ? "" : " NON-FINITE");
  print_time_row(label + "_fp8_vs_bf16", "fp8", seconds[1], fp8_s);
  return pass && fp8.finite ? 0 : 1;
}

}  // namespace cosmos3::bench

namespace {

using namespace cosmos3;

struct CheckOptions {
  std::string part = "kernels";
  std::string family = "nano";
  bench::VideoShape shape;
  int64_t iterations = 5;
  c10::Device device = c10::Device(c10::kCUDA);
};

int64_t generation_tokens(const bench::VideoShape& shape) {
  const model::TransformerConfig config = bench::family_config("nano");
  const int64_t patch = config.latent_patch_size;
  const int64_t latent_frames = (shape.frames - 1) / 4 + 1;
  return latent_frames * ((shape.height / 16 + patch - 1) / patch) *
         ((shape.width / 16 + patch - 1) / patch);
}

int run_check(const CheckOptions& options) {
  if (options.iterations < 1) {
    throw cli::UsageError("--iterations must be at least 1");
  }
  if (!options.device.is_cuda() || !kernels::cuda_kernels_built()) {
    throw UserError(
        "cosmos3-fused-check needs --device cuda and a build with the CUDA kernels "
        "(configure where nvcc is found, COSMOS3_CUDA_KERNELS=ON)");
  }
  c10::InferenceMode inference_mode;
  const int failures =
      options.part == "forward"
          ? bench::check_forward(options.device, options.family, options.shape, options.iterations)
          : bench::check_kernels(options.device, generation_tokens(options.shape),
                                 options.shape.text_tokens, options.iterations);
  std::printf("# %s: %d failed check(s)\n", options.part.c_str(), failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CheckOptions options;
  cli::Command command("cosmos3-fused-check",
                       "Compares the fused CUDA kernels with the unfused ATen path and times\n"
                       "both; prints check and time rows.");
  command
      .add_flag({.name = "--part",
                 .value_name = "P",
                 .help = "kernels or forward (default kernels)",
                 .set =
                     [&options](auto flag, auto value) {
                       options.part = cli::to_enum<std::string_view>(
                           flag, value, {{"kernels", "kernels"}, {"forward", "forward"}});
                     }})
      .add_flag(bench::family_flag(options.family))
      .add_flag(bench::integer_flag("--height", "video height", options.shape.height))
      .add_flag(bench::integer_flag("--width", "video width", options.shape.width))
      .add_flag(bench::integer_flag("--frames", "video frames", options.shape.frames))
      .add_flag(bench::integer_flag("--text-tokens", "prompt tokens", options.shape.text_tokens))
      .add_flag(bench::integer_flag("--iterations", "timed runs, >= 1", options.iterations))
      .add_flag(bench::device_flag(options.device));
  command.set_action([&options] { return run_check(options); });
  try {
    return cli::run_main(command, argc, argv, std::cout, std::cerr);
  } catch (const UserError& error) {
    std::cerr << "cosmos3-fused-check: " << error.what() << '\n';
    return 1;
  } catch (const c10::Error& error) {
    // A torch without CUDA, an out-of-memory device: the check could not run at all.
    std::cerr << "cosmos3-fused-check: " << error.what_without_backtrace() << '\n';
    return 2;
  }
}
