#include "parallel/backend/worker_program.h"

#include "parallel/backend/line_socket.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace cosmos3::backend {
namespace {

bool is_executable(const std::filesystem::path& path) {
  return std::filesystem::is_regular_file(path) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path find_worker_program() {
  constexpr const char* kName = "cosmos3-worker";
  std::vector<std::filesystem::path> candidates;
  if (const char* named = std::getenv("COSMOS3_WORKER"); named != nullptr && *named != '\0') {
    candidates.emplace_back(named);
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(self.parent_path() / kName);
    candidates.push_back(self.parent_path().parent_path() / "worker" / kName);
    candidates.push_back(self.parent_path().parent_path() / "app" / "worker" / kName);
  }
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');) {
      if (!folder.empty()) candidates.push_back(std::filesystem::path(folder) / kName);
    }
  }
  std::string looked;
  for (const std::filesystem::path& candidate : candidates) {
    if (is_executable(candidate)) return candidate;
    looked += "\n  " + candidate.string();
  }
  throw BackendError(std::string("cannot find ") + kName + "; looked at:" + looked +
                     "\nbuild it (cmake --build build --target cosmos3-worker) or set "
                     "COSMOS3_WORKER to its path");
}

}  // namespace cosmos3::backend
