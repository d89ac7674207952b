#include "core/hub/model_downloader.h"

#include "core/hub/disk_space.h"
#include "core/hub/file_digest.h"
#include "core/hub/file_fetcher.h"
#include "core/hub/hub_errors.h"
#include "core/hub/hub_urls.h"
#include "core/hub/pipeline_file_selection.h"

namespace cosmos3::hub {
namespace {

uint64_t size_or_zero(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

// A file under its final name was verified before its rename (file_fetcher.h), so its size is
// enough to know it is finished.
bool is_finished(const std::filesystem::path& folder, const RepoFile& file) {
  const std::filesystem::path path = folder / file.path;
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && size_or_zero(path) == file.size;
}

std::string token_source(const DownloadOptions& options) {
  return options.token ? options.token->source : std::string();
}

}  // namespace

ModelDownloader::ModelDownloader(DownloadOptions options) : options_(std::move(options)) {
  if (options_.endpoint.empty()) {
    options_.endpoint = default_endpoint();
  }
  if (options_.repo.find('/') == std::string::npos) {
    throw DownloadError("'" + options_.repo +
                        "' is not a Hub repository id: write it as OWNER/NAME "
                        "(e.g. nvidia/Cosmos3-Nano), or use nano or super");
  }
}

DownloadPlan ModelDownloader::plan(const std::atomic<bool>* stop_requested) {
  HttpClient client;
  client.set_stop_flag(stop_requested);
  if (options_.token) {
    client.set_token(options_.token->value);
  }
  DownloadPlan plan;
  plan.listing = fetch_repo_listing(client, options_.endpoint, options_.repo, options_.revision,
                                    token_source(options_));
  // The Hub lists a gated repository's files to anyone; without a token every file would be
  // refused, so say so now rather than after the disk check.
  if (plan.listing.gated && !options_.token) {
    throw GatedRepoError(options_.repo, false);
  }
  plan.files = select_pipeline_files(plan.listing);
  for (const RepoFile& file : plan.files) {
    plan.num_bytes += file.size;
    const uint64_t present =
        is_finished(options_.folder, file)
            ? file.size
            : std::min(file.size, size_or_zero(options_.folder / (file.path + ".partial")));
    plan.num_file_bytes_present.push_back(present);
    plan.num_bytes_present += present;
  }
  const auto manifest = read_download_manifest(options_.folder);
  plan.complete = manifest && manifest->commit == plan.listing.commit &&
                  plan.num_bytes_present == plan.num_bytes;
  plan.num_bytes_free = free_disk_bytes(options_.folder);
  return plan;
}

DownloadManifest ModelDownloader::download(const DownloadPlan& plan,
                                           const ProgressCallback& on_progress,
                                           const std::atomic<bool>* stop_requested) {
  const DownloadManifest manifest{.repo = options_.repo,
                                  .revision = options_.revision,
                                  .commit = plan.listing.commit,
                                  .files = plan.files};
  if (plan.complete) {
    return manifest;
  }
  const uint64_t num_bytes_free = free_disk_bytes(options_.folder);
  if (plan.num_bytes_to_fetch() > num_bytes_free) {
    throw DiskSpaceError(options_.folder.string(), plan.num_bytes_to_fetch(), num_bytes_free);
  }
  std::filesystem::create_directories(options_.folder);
  // An older manifest (another commit) must not vouch for the files about to change.
  std::filesystem::remove(options_.folder / kManifestFileName);

  HttpClient client;
  client.set_stop_flag(stop_requested);
  if (options_.token) {
    client.set_token(options_.token->value);
  }
  FileFetcher fetcher(client,
                      FetchSettings{.endpoint = options_.endpoint,
                                    .repo = options_.repo,
                                    .commit = plan.listing.commit,
                                    .token_source = token_source(options_),
                                    .folder = options_.folder,
                                    .num_attempts = options_.num_attempts_per_file,
                                    .retry_delay = options_.retry_delay},
                      stop_requested);
  DownloadProgress progress;
  progress.num_files = plan.files.size();
  progress.num_bytes = plan.num_bytes;
  for (const RepoFile& file : plan.files) {
    if (is_finished(options_.folder, file)) {
      progress.num_bytes_done += file.size;
    }
  }
  for (size_t index = 0; index < plan.files.size(); ++index) {
    const RepoFile& file = plan.files[index];
    if (stop_requested != nullptr && stop_requested->load()) {
      throw DownloadCanceled();
    }
    if (is_finished(options_.folder, file)) {
      continue;
    }
    progress.file_index = index;
    progress.num_file_bytes_done = 0;
    fetcher.fetch(file, progress, on_progress);
    progress.num_bytes_done += file.size;
  }
  // The manifest vouches for every file: never write it over a gap, whatever happened above.
  for (const RepoFile& file : plan.files) {
    if (!is_finished(options_.folder, file)) {
      throw DownloadError(file.path + " is missing from " + options_.folder.string() +
                          " after the download; rerun to fetch it");
    }
  }
  write_download_manifest(options_.folder, manifest);
  return manifest;
}

std::vector<std::string> verify_model_folder(const std::filesystem::path& folder,
                                             const ProgressCallback& on_progress,
                                             const std::atomic<bool>* stop_requested) {
  const auto manifest = read_download_manifest(folder);
  if (!manifest) {
    return {folder.string() + " has no " + kManifestFileName +
            ": the download never finished; run the download again to complete it"};
  }
  std::vector<std::string> problems;
  DownloadProgress progress;
  progress.stage = DownloadProgress::Stage::kVerifying;
  progress.num_files = manifest->files.size();
  for (const RepoFile& file : manifest->files) {
    progress.num_bytes += file.size;
  }
  for (size_t index = 0; index < manifest->files.size(); ++index) {
    const RepoFile& file = manifest->files[index];
    progress.file_index = index;
    progress.path = file.path;
    progress.num_file_bytes = file.size;
    if (on_progress) {
      on_progress(progress);
    }
    const std::filesystem::path path = folder / file.path;
    if (!std::filesystem::exists(path)) {
      problems.push_back(file.path + ": missing");
    } else if (size_or_zero(path) != file.size) {
      problems.push_back(file.path + ": " + std::to_string(size_or_zero(path)) +
                         " bytes instead of " + std::to_string(file.size));
    } else if (file.lfs_sha256 &&
               file_digest(path, DigestKind::kSha256, stop_requested) != *file.lfs_sha256) {
      problems.push_back(file.path + ": sha256 differs from the Hub's");
    } else if (!file.lfs_sha256 && !file.git_blob_id.empty() &&
               file_digest(path, DigestKind::kGitBlobSha1, stop_requested) != file.git_blob_id) {
      problems.push_back(file.path + ": git blob id differs from the Hub's");
    }
    progress.num_bytes_done += file.size;
  }
  return problems;
}

}  // namespace cosmos3::hub
