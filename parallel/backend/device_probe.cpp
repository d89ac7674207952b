#include "parallel/backend/device_probe.h"

#include <ATen/Context.h>
#include <ATen/DeviceAccelerator.h>

#ifdef USE_C10D_NCCL
#include <ATen/cuda/CUDAContext.h>
#endif

namespace cosmos3::backend {

nlohmann::json probe_devices() {
  nlohmann::json devices = nlohmann::json::array();
#ifdef USE_C10D_NCCL
  const auto num_gpus = static_cast<c10::DeviceIndex>(at::getNumGPUs());
  for (c10::DeviceIndex index = 0; index < num_gpus; ++index) {
    const cudaDeviceProp* properties = at::cuda::getDeviceProperties(index);
    const auto [free_bytes, total_bytes] = at::accelerator::getMemoryInfo(index);
    devices.push_back({{"index", index},
                       {"name", properties->name},
                       {"total_memory_bytes", total_bytes},
                       {"free_memory_bytes", free_bytes},
                       {"compute_capability", std::to_string(properties->major) + "." +
                                                  std::to_string(properties->minor)}});
  }
#endif
  return devices;
}

}  // namespace cosmos3::backend
