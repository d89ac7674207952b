#pragma once
// A repository's files at one commit, from the Hub's revision API
// (GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true). We use that call rather
// than the tree API because one unpaginated answer gives every file's size, git blob id and LFS
// sha256 together with the commit the revision points at, so a download can pin that commit
// and never mix files of two pushes.

#include "core/hub/http_client.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::hub {

struct RepoFile {
  std::string path;                       // "transformer/diffusion_pytorch_model.safetensors"
  uint64_t size = 0;                      // of the file itself (not of an LFS pointer)
  std::optional<std::string> lfs_sha256;  // hex, set for files stored in LFS
  std::string git_blob_id;                // hex sha1 of the git blob, for files kept in git
};

struct RepoListing {
  std::string repo;
  std::string revision;  // as asked: "main", a tag, a commit
  std::string commit;    // the commit it points at, used in every file URL
  bool gated = false;    // the files need a token whose account accepted the licence
  std::vector<RepoFile> files;
};

// Parses the revision API's JSON. Throws DownloadError naming `source` when it lacks "sha" or
// "siblings", or a sibling lacks its name or size.
RepoListing parse_repo_listing(const std::string& json_text, const std::string& repo,
                               const std::string& revision, const std::string& source);

// Asks the Hub; throws the typed errors of hub_response.h, DownloadError on network failure.
RepoListing fetch_repo_listing(HttpClient& client, const std::string& endpoint,
                               const std::string& repo, const std::string& revision,
                               const std::string& token_source);

}  // namespace cosmos3::hub
