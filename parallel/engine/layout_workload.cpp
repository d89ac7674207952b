#include "parallel/engine/layout_workload.h"

#include <algorithm>

namespace cosmos3::parallel {

std::vector<LayoutPass> workload_passes(const LayoutWorkload& workload) {
  const int64_t target = workload.num_generation_tokens;
  if (workload.num_control_hints == 0) {
    std::vector<LayoutPass> passes{{target, workload.num_text_tokens}};
    if (workload.guided) passes.push_back({target, workload.num_uncond_text_tokens});
    return passes;
  }
  // As core/pipeline/transfer_denoise_loop.cpp orders them: cond with controls, cond without,
  // uncond with controls.
  const int64_t with_controls = target * (1 + workload.num_control_hints);
  std::vector<LayoutPass> passes{{with_controls, workload.num_text_tokens}};
  if (workload.control_guided) passes.push_back({target, workload.num_text_tokens});
  if (workload.guided) passes.push_back({with_controls, workload.num_uncond_text_tokens});
  return passes;
}

int64_t largest_generation_stream(const LayoutWorkload& workload) {
  int64_t largest = 0;
  for (const LayoutPass& pass : workload_passes(workload)) {
    largest = std::max(largest, pass.num_generation_tokens);
  }
  return largest;
}

std::string describe_job_kind(const LayoutWorkload& workload) {
  const auto num_passes = workload_passes(workload).size();
  const std::string passes = std::to_string(num_passes) + (num_passes == 1 ? " pass" : " passes");
  if (workload.num_control_hints > 0) {
    return "transfer " + std::to_string(workload.num_control_hints) +
           (workload.num_control_hints == 1 ? " hint, " : " hints, ") + passes;
  }
  return workload.guided ? std::string() : passes;
}

int64_t num_vision_tokens(const std::array<int64_t, 3>& latent_thw,
                          const model::TransformerConfig& config) {
  const int64_t patch = config.latent_patch_size;
  const int64_t grid_h = (latent_thw[1] + patch - 1) / patch;
  const int64_t grid_w = (latent_thw[2] + patch - 1) / patch;
  return latent_thw[0] * grid_h * grid_w;
}

}  // namespace cosmos3::parallel
