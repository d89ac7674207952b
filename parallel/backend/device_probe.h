#pragma once
// The GPUs this process can see, for the studio's settings: it runs the probe in a worker
// process (cosmos3-worker --probe-devices) so that its own process never initialises CUDA.

#include <nlohmann/json.hpp>

namespace cosmos3::backend {

// [{"index", "name", "total_memory_bytes", "free_memory_bytes", "compute_capability"}, ...];
// empty on a machine (or a libtorch) without CUDA.
nlohmann::json probe_devices();

}  // namespace cosmos3::backend
