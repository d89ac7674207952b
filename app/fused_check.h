#pragma once
// cosmos3-fused-check's parts: every fused kernel against the unfused ATen path on one token
// count, and the full transformer forward fused against unfused. Each prints table rows.

#include "app/bench_models.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <functional>
#include <string>

namespace cosmos3::bench {

// How far `fused` is from `reference` (the unfused path's output).
struct Deviation {
  double max_abs = 0;
  double max_abs_reference = 0;  // max |reference|, the scale of max_abs
  double rel_l2 = 0;             // ||fused - reference|| / ||reference||
  double cosine = 0;
  bool finite = true;
};
Deviation deviation(const at::Tensor& fused, const at::Tensor& reference);

// Median seconds of `work` over `num_runs` runs after one warm-up, synchronized.
double median_seconds(const c10::Device& device, int64_t num_runs,
                      const std::function<void()>& work);

// One table row: name, dtype, deviation against tolerances, pass/fail; returns pass.
bool print_check_row(const std::string& name, const std::string& dtype, const Deviation& found,
                     double rel_l2_tolerance, double max_abs_tolerance_scale);
void print_time_row(const std::string& name, const std::string& dtype, double unfused_s,
                    double fused_s);

// Every kernel at `num_tokens` rows with Nano's widths, fp32 and bf16. Returns the number of
// failed checks.
int check_kernels(const c10::Device& device, int64_t num_tokens, int64_t num_text_tokens,
                  int64_t num_timing_runs);

// FlashAttention-3 in bf16 and FP8 against SDPA at the generation attention's shape: queries of
// `num_tokens` over `num_tokens` + `num_text_tokens` keys. Returns the number of failed checks.
int check_attention(const c10::Device& device, int64_t num_tokens, int64_t num_text_tokens,
                    int64_t num_timing_runs);

// The random-weight Nano forward at `shape`, fused and unfused: time and deviation. Returns
// the number of failed checks.
int check_forward(const c10::Device& device, const std::string& family, const VideoShape& shape,
                  int64_t num_timing_runs);

}  // namespace cosmos3::bench
