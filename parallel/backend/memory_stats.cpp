#include "parallel/backend/memory_stats.h"

#include <ATen/DeviceAccelerator.h>

#include <fstream>
#include <string>

namespace cosmos3::backend {
namespace {

c10::DeviceIndex index_of(const c10::Device& device) {
  return device.index() < 0 ? 0 : device.index();
}

}  // namespace

void reset_peak_memory(const c10::Device& device) {
  if (device.is_cuda()) {
    at::accelerator::resetPeakStats(index_of(device));
    return;
  }
  // Writing 5 resets the kernel's resident-set high-water mark (proc(5), clear_refs).
  std::ofstream("/proc/self/clear_refs") << "5";
}

int64_t peak_memory_bytes(const c10::Device& device) {
  if (device.is_cuda()) {
    return at::accelerator::getDeviceStats(index_of(device)).allocated_bytes[0].peak;
  }
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;  // reported in kB
    }
  }
  return 0;
}

void release_cached_memory(const c10::Device& device) {
  if (device.is_cuda()) at::accelerator::emptyCache();
}

}  // namespace cosmos3::backend
