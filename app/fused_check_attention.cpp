// cosmos3-fused-check, attention part: FlashAttention-3 (core/kernels/flash_attention3.h)
// against the SDPA path it replaces, at the generation attention's shape (Nano's heads, the
// generation queries over text + generation keys), bf16, then both timed; and FlashAttention-3's
// FP8 attention, whose distance from bf16 is judged against a loose bound.
//
// Tolerances, and why: FlashAttention-3 and cuDNN SDPA both accumulate in fp32 and round the
// output to bf16 once, but tile the softmax differently, so an output may differ by one bf16
// unit in the last place: ||fa3 - sdpa|| / ||sdpa|| <= 5e-3 and max |fa3 - sdpa| <= 2^-6 *
// max |sdpa| (two ulps at the largest value). FP8 (e4m3, 3 mantissa bits) rounds q, k and v
// with a relative step of up to 2^-4; on unit-variance inputs that lands near 5e-2, so 1e-1
// passes it and still fails a wrong scale or layout, which lands near 1.

#include "app/bench_support.h"
#include "app/fused_check.h"
#include "core/kernels/flash_attention3.h"
#include "core/model/model_seams.h"

#include <ATen/ops/randn.h>

#include <cmath>
#include <cstdio>

namespace cosmos3::bench {

int check_attention(const c10::Device& device, int64_t num_tokens, int64_t num_text_tokens,
                    int64_t num_timing_runs) {
  const model::TransformerConfig config = family_config("nano");
  const auto options = at::TensorOptions().dtype(at::kBFloat16).device(device);
  const int64_t head_dim = config.head_dim;
  const at::Tensor q = at::randn({num_tokens, config.num_attention_heads, head_dim}, options);
  const at::Tensor k =
      at::randn({num_tokens + num_text_tokens, config.num_key_value_heads, head_dim}, options);
  const at::Tensor v = at::randn(k.sizes(), options);
  const auto sdpa = [&] {
    kernels::set_flash_attention3_enabled(false);
    at::Tensor out = model::grouped_attention(q, k, v, /*is_causal=*/false);
    kernels::set_flash_attention3_enabled(true);
    return out;
  };
  const auto flash = [&](kernels::AttentionArithmetic arithmetic) {
    return kernels::try_flash_attention3(q, k, v, arithmetic);
  };
  std::printf("# attention: FlashAttention-3 %s\n", kernels::flash_attention3_status().c_str());
  const auto bf16 = flash(kernels::AttentionArithmetic::kModelDtype);
  if (!bf16) {
    std::printf("check %-22s bf16 FlashAttention-3 did not apply  FAIL\n", "attention_fa3");
    return 1;
  }
  const at::Tensor reference = sdpa();
  int failures = !print_check_row("attention_fa3", "bf16", deviation(*bf16, reference), 5e-3,
                                  std::ldexp(1.0, -6));
  print_time_row("attention_fa3", "bf16", median_seconds(device, num_timing_runs, sdpa),
                 median_seconds(device, num_timing_runs,
                                [&] { flash(kernels::AttentionArithmetic::kModelDtype); }));
  const auto fp8 = flash(kernels::AttentionArithmetic::kFp8);
  if (!fp8) {
    std::printf("check %-22s fp8  FlashAttention-3 FP8 did not apply  FAIL\n", "attention_fa3");
    return failures + 1;
  }
  failures += !print_check_row("attention_fa3_fp8", "fp8", deviation(*fp8, reference), 1e-1, 1.0);
  print_time_row(
      "attention_fa3_fp8", "fp8", median_seconds(device, num_timing_runs, sdpa),
      median_seconds(device, num_timing_runs, [&] { flash(kernels::AttentionArithmetic::kFp8); }));
  return failures;
}

}  // namespace cosmos3::bench
