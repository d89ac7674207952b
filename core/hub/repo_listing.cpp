#include "core/hub/repo_listing.h"

#include "core/hub/hub_errors.h"
#include "core/hub/hub_response.h"
#include "core/hub/hub_urls.h"

#include <nlohmann/json.hpp>

namespace cosmos3::hub {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw DownloadError(source + ": " + problem +
                      "; is the endpoint (HF_ENDPOINT) a Hugging Face Hub server?");
}

RepoFile parse_sibling(const Json& sibling, const std::string& source) {
  if (!sibling.is_object() || !sibling.contains("rfilename") || !sibling["rfilename"].is_string()) {
    fail(source, "a sibling has no 'rfilename'");
  }
  RepoFile file;
  file.path = sibling["rfilename"].get<std::string>();
  if (!sibling.contains("size") || !sibling["size"].is_number_unsigned()) {
    fail(source, "'" + file.path + "' has no size (was ?blobs=true dropped?)");
  }
  file.size = sibling["size"].get<uint64_t>();
  if (sibling.contains("blobId") && sibling["blobId"].is_string()) {
    file.git_blob_id = sibling["blobId"].get<std::string>();
  }
  if (sibling.contains("lfs") && sibling["lfs"].is_object()) {
    const Json& lfs = sibling["lfs"];
    if (!lfs.contains("sha256") || !lfs["sha256"].is_string()) {
      fail(source, "'" + file.path + "' is in LFS but has no sha256");
    }
    file.lfs_sha256 = lfs["sha256"].get<std::string>();
    if (lfs.contains("size") && lfs["size"].is_number_unsigned()) {
      file.size = lfs["size"].get<uint64_t>();
    }
  }
  return file;
}

}  // namespace

RepoListing parse_repo_listing(const std::string& json_text, const std::string& repo,
                               const std::string& revision, const std::string& source) {
  const Json answer = Json::parse(json_text, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) {
    fail(source, "the answer is not a JSON object");
  }
  if (!answer.contains("sha") || !answer["sha"].is_string()) {
    fail(source, "the answer names no commit ('sha')");
  }
  if (!answer.contains("siblings") || !answer["siblings"].is_array()) {
    fail(source, "the answer lists no files ('siblings')");
  }
  RepoListing listing{
      .repo = repo, .revision = revision, .commit = answer["sha"], .gated = false, .files = {}};
  // The Hub says "gated": false, or the kind of gate ("auto", "manual").
  if (answer.contains("gated")) {
    listing.gated = answer["gated"].is_string() ||
                    (answer["gated"].is_boolean() && answer["gated"].get<bool>());
  }
  for (const Json& sibling : answer["siblings"]) {
    listing.files.push_back(parse_sibling(sibling, source));
  }
  return listing;
}

RepoListing fetch_repo_listing(HttpClient& client, const std::string& endpoint,
                               const std::string& repo, const std::string& revision,
                               const std::string& token_source) {
  const std::string url = revision_info_url(endpoint, repo, revision);
  std::string body;
  const HttpResult result = client.get_text(url, body);
  if (result.outcome == HttpResult::Outcome::kCanceled) {
    throw DownloadCanceled();
  }
  if (result.outcome != HttpResult::Outcome::kComplete) {
    throw DownloadError("cannot reach " + url + ": " + result.transport_error +
                        "; check the network (or HF_ENDPOINT) and rerun");
  }
  throw_on_hub_error(result, repo, "the file list of " + repo + " at " + revision, token_source);
  return parse_repo_listing(body, repo, revision, url);
}

}  // namespace cosmos3::hub
