#include "core/hub/file_fetcher.h"

#include "core/hub/disk_space.h"
#include "core/hub/file_digest.h"
#include "core/hub/hub_errors.h"
#include "core/hub/hub_response.h"
#include "core/hub/hub_urls.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace cosmos3::hub {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// The ".partial" file, opened for appending; a failed write keeps its errno for the message.
class PartialFile {
 public:
  PartialFile(const std::filesystem::path& path, bool truncate) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0),
                 0644);
    if (fd_ < 0) {
      throw DownloadError("cannot write " + path.string() + ": " + std::strerror(errno) +
                          "; choose a writable folder with --dir");
    }
  }
  ~PartialFile() { close(); }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  bool append(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t num_written = ::write(fd_, bytes.data(), bytes.size());
      if (num_written < 0) {
        if (errno == EINTR) {
          continue;
        }
        write_errno_ = errno;
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(num_written));
    }
    return true;
  }

  // O_APPEND makes the next write land at the new end, byte 0.
  bool truncate() {
    if (::ftruncate(fd_, 0) != 0) {
      write_errno_ = errno;
      return false;
    }
    return true;
  }

  // The bytes must be on disk before the rename makes the file look finished.
  bool sync() { return ::fsync(fd_) == 0; }

  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  int write_errno() const { return write_errno_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  int write_errno_ = 0;
};

uint64_t size_or_zero(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

}  // namespace

FileFetcher::FileFetcher(HttpClient& client, FetchSettings settings,
                         const std::atomic<bool>* stop_requested)
    : client_(client), settings_(std::move(settings)), stop_requested_(stop_requested) {}

void FileFetcher::fetch(const RepoFile& file, DownloadProgress progress,
                        const ProgressCallback& on_progress) {
  const std::filesystem::path final_path = settings_.folder / file.path;
  const std::filesystem::path partial = final_path.string() + ".partial";
  std::filesystem::create_directories(final_path.parent_path());
  progress.path = file.path;
  progress.num_file_bytes = file.size;

  for (int attempt = 1; attempt <= settings_.num_attempts; ++attempt) {
    const bool last_attempt = attempt == settings_.num_attempts;
    if (attempt > 1) {
      std::this_thread::sleep_for(settings_.retry_delay);
    }
    if (transfer(file, partial, progress, on_progress, last_attempt) == AttemptResult::kRetry) {
      continue;
    }
    progress.stage = DownloadProgress::Stage::kVerifying;
    if (on_progress) {
      on_progress(progress);
    }
    std::string actual;
    if (!matches_checksum(file, partial, actual)) {
      // The bytes are wrong somewhere: only a fetch from the start can fix them.
      std::filesystem::remove(partial);
      progress.num_bytes_done -= progress.num_file_bytes_done;
      progress.num_file_bytes_done = 0;
      if (last_attempt) {
        throw DownloadError(file.path + " from " + settings_.repo +
                            " does not match the Hub's checksum after " +
                            std::to_string(settings_.num_attempts) + " downloads (got " + actual +
                            "); check the network or proxy and rerun");
      }
      continue;
    }
    std::filesystem::rename(partial, final_path);
    progress.stage = DownloadProgress::Stage::kFileDone;
    if (on_progress) {
      on_progress(progress);
    }
    return;
  }
  // Only a server that keeps refusing our range (416) gets here.
  throw DownloadError(file.path + " from " + settings_.repo + " could not be downloaded in " +
                      std::to_string(settings_.num_attempts) +
                      " attempts (the server refused every byte range); rerun later");
}

FileFetcher::AttemptResult FileFetcher::transfer(const RepoFile& file,
                                                 const std::filesystem::path& partial,
                                                 DownloadProgress& progress,
                                                 const ProgressCallback& on_progress,
                                                 bool last_attempt) {
  uint64_t offset = size_or_zero(partial);
  if (offset > file.size) {
    offset = 0;  // not a prefix of this file (an older revision's?): start over
  }
  const uint64_t num_bytes_before = progress.num_bytes_done - progress.num_file_bytes_done;
  progress.stage = DownloadProgress::Stage::kDownloading;
  progress.num_file_bytes_done = offset;
  progress.num_bytes_done = num_bytes_before + offset;
  if (offset == file.size && std::filesystem::exists(partial)) {
    return AttemptResult::kComplete;  // a previous run got every byte but stopped before the check
  }

  const std::string url =
      resolve_url(settings_.endpoint, settings_.repo, settings_.commit, file.path);
  PartialFile output(partial, offset == 0);
  bool restarted_from_zero = false;
  // The first chunk is always reported, so a caller sees each file start.
  std::chrono::steady_clock::time_point last_report{};
  const HttpResult result = client_.get(url, offset, [&](long status, std::string_view chunk) {
    if (status == 200 && offset > 0 && !restarted_from_zero) {
      // The server ignored the range and sends the whole file: drop what we had.
      restarted_from_zero = true;
      if (!output.truncate()) {
        return false;
      }
      progress.num_file_bytes_done = 0;
      progress.num_bytes_done = num_bytes_before;
    }
    if (!output.append(chunk)) {
      return false;
    }
    progress.num_file_bytes_done += chunk.size();
    progress.num_bytes_done += chunk.size();
    const auto now = std::chrono::steady_clock::now();
    if (on_progress && now - last_report >= kProgressInterval) {
      last_report = now;
      on_progress(progress);
    }
    return true;
  });
  const bool synced = output.sync();
  output.close();

  switch (result.outcome) {
    case HttpResult::Outcome::kCanceled:
      throw DownloadCanceled();
    case HttpResult::Outcome::kSinkFailed:
      throw DownloadError(
          "cannot write " + partial.string() + ": " + std::strerror(output.write_errno()) + " (" +
          format_bytes(free_disk_bytes(settings_.folder)) +
          " free); free some space and rerun: the " + format_bytes(size_or_zero(partial)) +
          " already in " + partial.filename().string() + " are kept and the download resumes");
    case HttpResult::Outcome::kTransportError:
      if (last_attempt) {
        throw DownloadError(
            "the connection failed while downloading " + file.path + " (" + result.transport_error +
            ") after " + std::to_string(settings_.num_attempts) +
            " attempts; rerun to resume from byte " + std::to_string(size_or_zero(partial)));
      }
      return AttemptResult::kRetry;
    case HttpResult::Outcome::kComplete:
      break;
  }
  if (result.status == 416) {
    std::filesystem::remove(partial);  // our partial does not fit this file: start over
    return AttemptResult::kRetry;
  }
  if (is_retryable_status(result.status) && !last_attempt) {
    return AttemptResult::kRetry;
  }
  if (result.status >= 400 && size_or_zero(partial) == 0) {
    std::filesystem::remove(partial);  // a refusal leaves no empty part behind
  }
  throw_on_hub_error(result, settings_.repo, url, settings_.token_source);
  if (!synced) {
    throw DownloadError("cannot flush " + partial.string() + " to disk: " + std::strerror(errno) +
                        "; free some space and rerun");
  }
  if (size_or_zero(partial) != file.size) {
    if (last_attempt) {
      throw DownloadError(url + " ended after " + std::to_string(size_or_zero(partial)) + " of " +
                          std::to_string(file.size) + " bytes; rerun to resume");
    }
    return AttemptResult::kRetry;
  }
  return AttemptResult::kComplete;
}

bool FileFetcher::matches_checksum(const RepoFile& file, const std::filesystem::path& partial,
                                   std::string& actual) const {
  if (file.lfs_sha256) {
    actual = "sha256 " + file_digest(partial, DigestKind::kSha256, stop_requested_);
    return actual == "sha256 " + *file.lfs_sha256;
  }
  if (!file.git_blob_id.empty()) {
    actual = "git blob " + file_digest(partial, DigestKind::kGitBlobSha1, stop_requested_);
    return actual == "git blob " + file.git_blob_id;
  }
  // A server that states no checksum: the size, checked by the caller, is all we can compare.
  actual = std::to_string(size_or_zero(partial)) + " bytes";
  return size_or_zero(partial) == file.size;
}

}  // namespace cosmos3::hub
