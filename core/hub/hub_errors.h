#pragma once
// The typed errors of the model download (core/hub): each names the repository, file or folder
// at fault and what the user can do about it.

#include "core/errors.h"

#include <cstdint>
#include <string>

namespace cosmos3::hub {

// A download that cannot go on: the Hub refused a request, the network failed, a file does not
// match its checksum, or a folder cannot be written. The message says whether rerunning the
// same command resumes.
class DownloadError : public UserError {
 public:
  using UserError::UserError;
};

// A gated (or private) repository the token cannot read: no token, or a token whose account has
// not accepted the model's licence. `licence_url()` is the page where the user accepts it.
class GatedRepoError : public DownloadError {
 public:
  GatedRepoError(const std::string& repo, bool had_token);

  const std::string& licence_url() const noexcept { return licence_url_; }

 private:
  std::string licence_url_;
};

// The Hub does not know the repository or revision (or hides a private repository from an
// anonymous request).
class RepoNotFoundError : public DownloadError {
 public:
  using DownloadError::DownloadError;
};

// The target folder's filesystem has fewer free bytes than the files still to download.
class DiskSpaceError : public DownloadError {
 public:
  DiskSpaceError(const std::string& folder, uint64_t num_bytes_needed, uint64_t num_bytes_free);

  uint64_t num_bytes_needed() const noexcept { return num_bytes_needed_; }
  uint64_t num_bytes_free() const noexcept { return num_bytes_free_; }

 private:
  uint64_t num_bytes_needed_;
  uint64_t num_bytes_free_;
};

// The caller asked the download to stop (pause, quit). Finished files and the current file's
// `.partial` stay, so the next run resumes. Not a UserError: nothing is wrong.
class DownloadCanceled : public std::runtime_error {
 public:
  DownloadCanceled() : std::runtime_error("the download was canceled; rerun it to resume") {}
};

// "1.5 GB" style text for messages and progress (decimal units, as the Hub shows sizes).
std::string format_bytes(uint64_t num_bytes);

}  // namespace cosmos3::hub
