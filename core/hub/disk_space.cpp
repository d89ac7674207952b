#include "core/hub/disk_space.h"

#include "core/hub/hub_errors.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace cosmos3::hub {

uint64_t free_disk_bytes(const std::filesystem::path& path) {
  std::filesystem::path existing = std::filesystem::absolute(path);
  std::error_code error;
  while (!std::filesystem::exists(existing, error) && existing.has_parent_path() &&
         existing != existing.parent_path()) {
    existing = existing.parent_path();
  }
  struct statvfs info {};
  if (statvfs(existing.c_str(), &info) != 0) {
    throw DownloadError("cannot ask the free space of " + existing.string() + ": " +
                        std::strerror(errno));
  }
  return static_cast<uint64_t>(info.f_bavail) * static_cast<uint64_t>(info.f_frsize);
}

}  // namespace cosmos3::hub
