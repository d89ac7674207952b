#pragma once
// Brings one repository file into the model folder: bytes go to "<file>.partial", resumed with an
// HTTP range from its current length, checked against the Hub's checksum, flushed to disk and only
// then renamed to the file's name, so a name without ".partial" always holds a verified file.

#include "core/hub/download_progress.h"
#include "core/hub/http_client.h"
#include "core/hub/repo_listing.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace cosmos3::hub {

struct FetchSettings {
  std::string endpoint;
  std::string repo;
  std::string commit;        // every URL names the listed commit, never a moving branch
  std::string token_source;  // empty: no token sent
  std::filesystem::path folder;
  int num_attempts = 3;  // per file: dropped connections, 5xx answers and checksum mismatches
  std::chrono::milliseconds retry_delay{2000};
};

class FileFetcher {
 public:
  FileFetcher(HttpClient& client, FetchSettings settings, const std::atomic<bool>* stop_requested);

  // `progress` starts filled with the totals and this file's index; fetch updates its byte counts.
  // Throws DownloadCanceled, the errors of hub_response.h, or DownloadError naming the file
  // (disk full, connection lost on the last attempt, checksum still wrong) and saying that a rerun
  // resumes.
  void fetch(const RepoFile& file, DownloadProgress progress, const ProgressCallback& on_progress);

 private:
  enum class AttemptResult { kComplete, kRetry };
  AttemptResult transfer(const RepoFile& file, const std::filesystem::path& partial,
                         DownloadProgress& progress, const ProgressCallback& on_progress,
                         bool last_attempt);
  bool matches_checksum(const RepoFile& file, const std::filesystem::path& partial,
                        std::string& actual) const;

  HttpClient& client_;
  FetchSettings settings_;
  const std::atomic<bool>* stop_requested_;
};

}  // namespace cosmos3::hub
