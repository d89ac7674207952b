#pragma once
// The file a finished download writes last, `.cosmos3-download.json`: the repository, the commit
// and every file with its size and checksum. A folder without it is never taken for a complete
// model, however many files it holds, so an interrupted download cannot pass for a finished one.

#include "core/hub/repo_listing.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::hub {

inline constexpr const char* kManifestFileName = ".cosmos3-download.json";

struct DownloadManifest {
  std::string repo;
  std::string revision;
  std::string commit;
  std::vector<RepoFile> files;
};

// Written to a temporary name and renamed, so it appears whole or not at all. Throws
// DownloadError naming the folder when it cannot be written.
void write_download_manifest(const std::filesystem::path& folder, const DownloadManifest& manifest);

// nullopt when the folder has no manifest (an unfinished or foreign folder). Throws
// DownloadError naming the file when it exists but cannot be parsed.
std::optional<DownloadManifest> read_download_manifest(const std::filesystem::path& folder);

}  // namespace cosmos3::hub
