// cosmos3-fused-check, kernel part: each fused kernel of core/kernels against the ATen ops it
// replaces, on fresh random inputs at Nano's widths, then both timed.
//
// Tolerances, and why: the kernels round to the element type exactly where the ATen path
// stores a tensor, so the only differences are the fp32 sum of squares' order and rsqrt's last
// bits, which can move a bf16 result by one unit in the last place now and then. bf16 passes
// with ||fused - aten|| / ||aten|| <= 2e-3 and max |fused - aten| <= 2^-7 * max |aten| (one bf16
// ulp at the largest value); fp32 with 1e-5 for both.

#include "app/bench_support.h"
#include "app/fused_check.h"
#include "core/kernels/fused_ops.h"
#include "core/model/fused_layers.h"
#include "core/model/layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/full_like.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/square.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace cosmos3::bench {
namespace {

struct Tolerance {
  double rel_l2;
  double max_abs_scale;
};

Tolerance tolerance_for(c10::ScalarType dtype) {
  return dtype == at::kBFloat16 ? Tolerance{2e-3, std::ldexp(1.0, -7)} : Tolerance{1e-5, 1e-5};
}

std::string dtype_name(c10::ScalarType dtype) { return dtype == at::kBFloat16 ? "bf16" : "fp32"; }

// A failed check row for a kernel that did not take the inputs at all.
int not_applied(const std::string& name, c10::ScalarType dtype) {
  std::printf("check %-22s %-4s kernel did not apply (unsupported shape or layout)  FAIL\n",
              name.c_str(), dtype_name(dtype).c_str());
  return 1;
}

struct KernelShapes {
  int64_t num_tokens;
  int64_t num_text_tokens;
  model::TransformerConfig config;
};

int check_add_rms_norm(const KernelShapes& shapes, const at::TensorOptions& options,
                       model::NormKind kind, int64_t num_runs) {
  const c10::ScalarType dtype = options.dtype().toScalarType();
  const int64_t hidden = shapes.config.hidden_size;
  const std::string name = kind == model::NormKind::kRms ? "add_rms_norm" : "add_rms_norm_nemotron";
  const model::Norm norm{kind, 1 + 0.1 * at::randn({hidden}, options), shapes.config.rms_norm_eps};
  const at::Tensor residual = 4 * at::randn({shapes.num_tokens, hidden}, options);
  const at::Tensor delta = at::randn({shapes.num_tokens, hidden}, options);
  const auto unfused = [&] {
    const at::Tensor sum = residual + delta;
    return std::pair{sum, model::apply_norm(norm, sum)};
  };
  const kernels::RmsNormParams params{norm.weight, norm.eps,
                                      kind == model::NormKind::kRms
                                          ? kernels::RmsFlavor::kDiffusers
                                          : kernels::RmsFlavor::kNemotron};
  const auto fused = kernels::try_add_rms_norm(residual, delta, params);
  if (!fused) {
    return not_applied(name, dtype);
  }
  const auto [sum, normed] = unfused();
  const Tolerance tolerance = tolerance_for(dtype);
  int failures = 0;
  failures += !print_check_row(name + ".sum", dtype_name(dtype), deviation(fused->sum_SC, sum),
                               tolerance.rel_l2, tolerance.max_abs_scale);
  failures +=
      !print_check_row(name + ".norm", dtype_name(dtype), deviation(fused->normed_SC, normed),
                       tolerance.rel_l2, tolerance.max_abs_scale);
  const c10::Device device = residual.device();
  print_time_row(name, dtype_name(dtype), median_seconds(device, num_runs, [&] { unfused(); }),
                 median_seconds(device, num_runs,
                                [&] { kernels::try_add_rms_norm(residual, delta, params); }));
  return failures;
}

int check_qk_norm_rope(const KernelShapes& shapes, const at::TensorOptions& options,
                       model::NormKind kind, int64_t num_runs) {
  const c10::ScalarType dtype = options.dtype().toScalarType();
  const model::TransformerConfig& config = shapes.config;
  const std::string name = kind == model::NormKind::kRms ? "qk_norm_rope" : "qk_norm_rope_nemotron";
  const int64_t head_dim = config.head_dim;
  const int64_t num_q = config.num_attention_heads;
  const int64_t num_kv = config.num_key_value_heads;
  const int64_t num_gen = shapes.num_tokens;
  const int64_t num_und = shapes.num_text_tokens;
  const at::Tensor qkv = 2 * at::randn({num_gen, (num_q + 2 * num_kv) * head_dim}, options);
  const model::Norm q_norm{kind, 1 + 0.1 * at::randn({head_dim}, options), config.rms_norm_eps};
  const model::Norm k_norm{kind, 1 + 0.1 * at::randn({head_dim}, options), config.rms_norm_eps};
  // Realistic angles: positions of a latent video grid, as the forward's mRoPE tables make them.
  const at::Tensor positions =
      at::randint(0, 64, {3, num_gen}, options.dtype(at::kLong)).to(options.device());
  const model::RotaryTables rotary =
      model::mrope_tables(positions, head_dim, config.rope_theta, config.rope_axes_dim, dtype);
  const at::Tensor k_und = at::randn({num_und, num_kv, head_dim}, options);
  const at::Tensor v_und = at::randn({num_und, num_kv, head_dim}, options);
  const auto heads = [&](int64_t begin, int64_t count) {
    return qkv.slice(1, begin * head_dim, (begin + count) * head_dim)
        .view({num_gen, count, head_dim});
  };
  // The unfused path as the forward ran it: norms, rotary, then the cat the attention needs.
  const auto unfused = [&] {
    const at::Tensor q = model::apply_rotary(model::apply_norm(q_norm, heads(0, num_q)),
                                             rotary.cos_SD, rotary.sin_SD);
    const at::Tensor k = model::apply_rotary(model::apply_norm(k_norm, heads(num_q, num_kv)),
                                             rotary.cos_SD, rotary.sin_SD);
    return std::tuple{q, at::cat({k_und, k}, 0),
                      at::cat({v_und, heads(num_q + num_kv, num_kv)}, 0)};
  };
  const kernels::RmsFlavor flavor = kind == model::NormKind::kRms ? kernels::RmsFlavor::kDiffusers
                                                                  : kernels::RmsFlavor::kNemotron;
  const kernels::RmsNormParams q_params{q_norm.weight, q_norm.eps, flavor};
  const kernels::RmsNormParams k_params{k_norm.weight, k_norm.eps, flavor};
  // Poisoned, so a row the kernel never wrote shows as NaN.
  const at::Tensor k_all = at::full({num_und + num_gen, num_kv, head_dim},
                                    std::numeric_limits<double>::quiet_NaN(), options);
  const at::Tensor v_all = at::full_like(k_all, std::numeric_limits<double>::quiet_NaN());
  const auto fused = [&] {
    k_all.slice(0, 0, num_und).copy_(k_und);
    v_all.slice(0, 0, num_und).copy_(v_und);
    return kernels::try_qk_norm_rope(qkv, num_q, num_kv, head_dim, q_params, k_params,
                                     rotary.cos_SD, rotary.sin_SD, k_all.slice(0, num_und),
                                     v_all.slice(0, num_und));
  };
  const auto q_fused = fused();
  if (!q_fused) {
    return not_applied(name, dtype);
  }
  const auto [q, k, v] = unfused();
  const Tolerance tolerance = tolerance_for(dtype);
  int failures = 0;
  failures += !print_check_row(name + ".q", dtype_name(dtype), deviation(*q_fused, q),
                               tolerance.rel_l2, tolerance.max_abs_scale);
  failures += !print_check_row(name + ".k", dtype_name(dtype), deviation(k_all, k),
                               tolerance.rel_l2, tolerance.max_abs_scale);
  failures += !print_check_row(name + ".v", dtype_name(dtype), deviation(v_all, v), 0, 0);
  const c10::Device device = qkv.device();
  print_time_row(name + "+cat", dtype_name(dtype),
                 median_seconds(device, num_runs, [&] { unfused(); }),
                 median_seconds(device, num_runs, [&] { fused(); }));
  return failures;
}

int check_activations(const KernelShapes& shapes, const at::TensorOptions& options,
                      int64_t num_runs) {
  const c10::ScalarType dtype = options.dtype().toScalarType();
  const int64_t inner = shapes.config.intermediate_size;
  const at::Tensor gate_up = 2 * at::randn({shapes.num_tokens, 2 * inner}, options);
  const at::Tensor gate = gate_up.slice(1, 0, inner);
  const at::Tensor up = gate_up.slice(1, inner);
  const at::Tensor up_alone = up.contiguous();
  const Tolerance tolerance = tolerance_for(dtype);
  const c10::Device device = gate_up.device();
  int failures = 0;
  const auto silu_fused = kernels::try_silu_times_up(gate_up, inner);
  const auto relu2_fused = kernels::try_relu2(up_alone);
  if (!silu_fused) {
    failures += not_applied("silu_times_up", dtype);
  } else {
    failures += !print_check_row("silu_times_up", dtype_name(dtype),
                                 deviation(*silu_fused, at::silu(gate) * up), tolerance.rel_l2,
                                 tolerance.max_abs_scale);
    print_time_row(
        "silu_times_up", dtype_name(dtype),
        median_seconds(device, num_runs, [&] { at::silu(gate) * up; }),
        median_seconds(device, num_runs, [&] { kernels::try_silu_times_up(gate_up, inner); }));
  }
  if (!relu2_fused) {
    failures += not_applied("relu2", dtype);
  } else {
    failures += !print_check_row("relu2", dtype_name(dtype),
                                 deviation(*relu2_fused, at::relu(up_alone).square()),
                                 tolerance.rel_l2, tolerance.max_abs_scale);
    print_time_row("relu2", dtype_name(dtype),
                   median_seconds(device, num_runs, [&] { at::relu(up_alone).square(); }),
                   median_seconds(device, num_runs, [&] { kernels::try_relu2(up_alone); }));
  }
  return failures;
}

// The fused GEMMs compute the same dot products; they are timed, and their deviation shown
// against the bf16 tolerance (cuBLAS may pick another algorithm for the wider output).
int check_fused_gemms(const KernelShapes& shapes, const at::TensorOptions& options,
                      int64_t num_runs) {
  const c10::ScalarType dtype = options.dtype().toScalarType();
  const model::TransformerConfig& config = shapes.config;
  const int64_t hidden = config.hidden_size;
  const at::Tensor input = at::randn({shapes.num_tokens, hidden}, options);
  const auto weight = [&](int64_t rows) { return at::randn({rows, hidden}, options) * 0.02; };
  const at::Tensor qkv_weight =
      at::cat({weight(config.query_width()), weight(config.key_value_width()),
               weight(config.key_value_width())},
              0);
  const at::Tensor gate_up_weight =
      at::cat({weight(config.intermediate_size), weight(config.intermediate_size)}, 0);
  const Tolerance tolerance = tolerance_for(dtype);
  const c10::Device device = input.device();
  int failures = 0;
  for (const auto& [name, fused_weight, num_parts] :
       {std::tuple{std::string("gemm_qkv"), qkv_weight, 3},
        std::tuple{std::string("gemm_gate_up"), gate_up_weight, 2}}) {
    std::vector<int64_t> rows =
        num_parts == 3 ? std::vector<int64_t>{config.query_width(), config.key_value_width(),
                                              config.key_value_width()}
                       : std::vector<int64_t>{config.intermediate_size, config.intermediate_size};
    const auto separate = [&] {
      std::vector<at::Tensor> outputs;
      int64_t begin = 0;
      for (const int64_t count : rows) {
        outputs.push_back(at::linear(input, fused_weight.slice(0, begin, begin + count)));
        begin += count;
      }
      return outputs;
    };
    const at::Tensor fused = at::linear(input, fused_weight);
    failures += !print_check_row(name, dtype_name(dtype), deviation(fused, at::cat(separate(), 1)),
                                 tolerance.rel_l2, tolerance.max_abs_scale);
    print_time_row(name, dtype_name(dtype), median_seconds(device, num_runs, [&] { separate(); }),
                   median_seconds(device, num_runs, [&] { at::linear(input, fused_weight); }));
  }
  return failures;
}

}  // namespace

int check_kernels(const c10::Device& device, int64_t num_tokens, int64_t num_text_tokens,
                  int64_t num_timing_runs) {
  const KernelShapes shapes{num_tokens, num_text_tokens, family_config("nano")};
  std::printf("# kernels at %lld generation tokens, %lld text tokens (Nano widths)\n",
              static_cast<long long>(num_tokens), static_cast<long long>(num_text_tokens));
  int failures = 0;
  for (const c10::ScalarType dtype : {at::kBFloat16, at::kFloat}) {
    const auto options = at::TensorOptions().dtype(dtype).device(device);
    failures += check_add_rms_norm(shapes, options, model::NormKind::kRms, num_timing_runs);
    failures += check_add_rms_norm(shapes, options, model::NormKind::kNemotronRms, num_timing_runs);
    failures += check_qk_norm_rope(shapes, options, model::NormKind::kRms, num_timing_runs);
    failures += check_qk_norm_rope(shapes, options, model::NormKind::kNemotronRms, num_timing_runs);
    failures += check_activations(shapes, options, num_timing_runs);
  }
  failures += check_fused_gemms(shapes, at::TensorOptions().dtype(at::kBFloat16).device(device),
                                num_timing_runs);
  failures += check_attention(device, num_tokens, num_text_tokens, num_timing_runs);
  return failures;
}

}  // namespace cosmos3::bench
