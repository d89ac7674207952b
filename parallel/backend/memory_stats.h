#pragma once
// Peak memory of this process on its device, per job: allocated GPU memory on CUDA, resident
// set (VmHWM) on the CPU, which is what an out-of-memory limit there counts.

#include <c10/core/Device.h>

#include <cstdint>

namespace cosmos3::backend {

// Starts a new peak.
void reset_peak_memory(const c10::Device& device);
// Bytes at the peak since the last reset.
int64_t peak_memory_bytes(const c10::Device& device);
// Hands the caching allocator's unused GPU blocks back to the driver, where what the allocator
// does not manage (kernel modules loaded on first use, library workspaces) is taken from. A
// no-op on the CPU.
void release_cached_memory(const c10::Device& device);

}  // namespace cosmos3::backend
