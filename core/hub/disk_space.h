#pragma once
// Free space where a download will write, asked of the filesystem itself (statvfs).

#include <cstdint>
#include <filesystem>

namespace cosmos3::hub {

// Bytes an unprivileged user may still write on the filesystem holding `path` (or, when it does
// not exist yet, its nearest existing parent). Throws DownloadError when none can be asked.
uint64_t free_disk_bytes(const std::filesystem::path& path);

}  // namespace cosmos3::hub
