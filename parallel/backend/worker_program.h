#pragma once
// Where a client finds cosmos3-worker: $COSMOS3_WORKER, else beside the client's own
// executable (an installed bin/), else in the build tree's app/worker/, else on the PATH.

#include <filesystem>

namespace cosmos3::backend {

// Throws BackendError naming the places looked at.
std::filesystem::path find_worker_program();

}  // namespace cosmos3::backend
