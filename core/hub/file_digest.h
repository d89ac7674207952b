#pragma once
// Checksums of files on disk as the Hub states them: the sha256 of an LFS file's content, and the
// git blob id (sha1 of "blob <size>\0" + content) of a file kept in git. OpenSSL computes them.

#include <atomic>
#include <filesystem>
#include <string>

namespace cosmos3::hub {

enum class DigestKind { kSha256, kGitBlobSha1 };

// Lower-case hex digest of the file. Throws DownloadError when it cannot be read and
// DownloadCanceled when `stop_requested` is raised meanwhile (large shards take a while).
std::string file_digest(const std::filesystem::path& path, DigestKind kind,
                        const std::atomic<bool>* stop_requested = nullptr);

}  // namespace cosmos3::hub
