#pragma once
// Where a GPU forward's kernel time goes: one run under the Kineto profiler (CUPTI), its GPU
// kernels and copies summed into attention, GEMM and the rest, by kernel name. The table lists
// each class's largest kernels too, so a reader can check the classification.

#include <cstdio>
#include <functional>
#include <map>
#include <string>

namespace cosmos3::bench {

struct KernelTimes {
  struct Kernel {
    double ms = 0.0;
    long long count = 0;
  };
  // class ("attention", "GEMM", "rest") -> kernel name -> time
  std::map<std::string, std::map<std::string, Kernel>> by_class;
};

// Runs `work` once with the profiler on and returns its GPU kernel times.
KernelTimes profile_gpu_kernels(const std::function<void()>& work);

// Markdown rows: class, ms, share of the kernel time, and the three largest kernels of each.
void print_kernel_times(const KernelTimes& times, const std::string& label, std::FILE* out);

}  // namespace cosmos3::bench
