#pragma once
// Downloads the files a Cosmos3 pipeline loads from a Hub repository into a model folder,
// resumably: finished files are kept, the current one resumes from its ".partial", and the
// manifest (download_manifest.h) is written last. Qt- and torch-free; the studio drives it from
// a worker thread, cosmos3-tool from its main thread.

#include "core/hub/access_token.h"
#include "core/hub/download_manifest.h"
#include "core/hub/download_progress.h"
#include "core/hub/repo_listing.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::hub {

struct DownloadOptions {
  std::string repo;  // "nvidia/Cosmos3-Nano"
  std::string revision = "main";
  std::filesystem::path folder;
  std::string endpoint;              // empty: default_endpoint() (HF_ENDPOINT or huggingface.co)
  std::optional<AccessToken> token;  // find_access_token() gives the user's
  int num_attempts_per_file = 3;
  std::chrono::milliseconds retry_delay{2000};
};

struct DownloadPlan {
  RepoListing listing;
  std::vector<RepoFile> files;     // what the pipeline loads (pipeline_file_selection.h)
  uint64_t num_bytes = 0;          // of every selected file
  uint64_t num_bytes_present = 0;  // in finished files and ".partial" prefixes
  std::vector<uint64_t> num_file_bytes_present;  // the same per file, in the order of `files`
  uint64_t num_bytes_free = 0;                   // on the folder's filesystem
  bool complete = false;                         // the folder's manifest matches the listed commit

  uint64_t num_bytes_to_fetch() const { return num_bytes - num_bytes_present; }
};

class ModelDownloader {
 public:
  explicit ModelDownloader(DownloadOptions options);

  // Lists the repository and measures what the folder already holds. Network only, no writes.
  DownloadPlan plan(const std::atomic<bool>* stop_requested = nullptr);

  // Checks the free disk first (DiskSpaceError names the bytes needed and free, before any file
  // is requested), then fetches every missing file and writes the manifest. Throws
  // DownloadCanceled when `stop_requested` is raised (the next run resumes), and the typed errors
  // of hub_errors.h.
  DownloadManifest download(const DownloadPlan& plan, const ProgressCallback& on_progress = {},
                            const std::atomic<bool>* stop_requested = nullptr);

  const DownloadOptions& options() const { return options_; }

 private:
  DownloadOptions options_;
};

// Re-hashes every file a complete folder's manifest lists. Returns the problems ("vae/x: missing",
// "transformer/y: sha256 differs"), empty when the folder is intact; a folder without manifest is
// one problem. Throws DownloadCanceled when `stop_requested` is raised.
std::vector<std::string> verify_model_folder(const std::filesystem::path& folder,
                                             const ProgressCallback& on_progress = {},
                                             const std::atomic<bool>* stop_requested = nullptr);

}  // namespace cosmos3::hub
