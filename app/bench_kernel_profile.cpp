#include "app/bench_kernel_profile.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

namespace cosmos3::bench {
namespace {

namespace profiler = torch::autograd::profiler;
using torch::profiler::impl::ActivityType;

bool contains(std::string_view name, std::string_view part) {
  return name.find(part) != std::string_view::npos;
}

// cuDNN's SDPA kernels carry "sdpa"/"fmha" in their names, FlashAttention's "flash"; cuBLAS's
// Hopper GEMMs are "nvjet" or "*gemm*" (FP8 ones too), CUTLASS's "cutlass" without "flash".
std::string kernel_class(std::string_view name) {
  if (contains(name, "flash") || contains(name, "fmha") || contains(name, "sdpa") ||
      contains(name, "attention")) {
    return "attention";
  }
  if (contains(name, "gemm") || contains(name, "nvjet") || contains(name, "cutlass") ||
      contains(name, "xmma")) {
    return "GEMM";
  }
  return "rest";
}

}  // namespace

KernelTimes profile_gpu_kernels(const std::function<void()>& work) {
  const torch::profiler::impl::ProfilerConfig config(torch::profiler::impl::ProfilerState::KINETO);
  const std::set<ActivityType> activities{ActivityType::CPU, ActivityType::CUDA};
  profiler::prepareProfiler(config, activities);
  profiler::enableProfiler(config, activities);
  work();
  const std::unique_ptr<profiler::ProfilerResult> result = profiler::disableProfiler();
  KernelTimes times;
  for (const profiler::KinetoEvent& event : result->events()) {
    if (event.deviceType() != c10::DeviceType::CUDA) continue;
    const std::string name = event.name();
    KernelTimes::Kernel& kernel = times.by_class[kernel_class(name)][name];
    kernel.ms += static_cast<double>(event.durationNs()) / 1e6;
    ++kernel.count;
  }
  return times;
}

void print_kernel_times(const KernelTimes& times, const std::string& label, std::FILE* out) {
  double total_ms = 0.0;
  for (const auto& [kernel_class, kernels] : times.by_class) {
    for (const auto& [name, kernel] : kernels) total_ms += kernel.ms;
  }
  std::fprintf(out, "| %s | class | kernel ms | share | largest kernels (ms, calls) |\n",
               label.c_str());
  std::fprintf(out, "| --- | --- | --- | --- | --- |\n");
  for (const auto& [kernel_class, kernels] : times.by_class) {
    std::vector<std::pair<std::string, KernelTimes::Kernel>> sorted(kernels.begin(), kernels.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
    double class_ms = 0.0;
    for (const auto& entry : sorted) class_ms += entry.second.ms;
    std::string largest;
    for (size_t i = 0; i < std::min<size_t>(3, sorted.size()); ++i) {
      const std::string name = sorted[i].first.substr(0, 60);
      largest += (i ? "; " : "") + name + " (" + std::to_string(sorted[i].second.ms).substr(0, 7) +
                 ", " + std::to_string(sorted[i].second.count) + ")";
    }
    std::fprintf(out, "| %s | %s | %.1f | %.1f %% | %s |\n", label.c_str(), kernel_class.c_str(),
                 class_ms, total_ms > 0 ? 100.0 * class_ms / total_ms : 0.0, largest.c_str());
  }
  std::fprintf(out, "| %s | all kernels | %.1f | 100 %% | |\n", label.c_str(), total_ms);
}

}  // namespace cosmos3::bench
