#pragma once
// Where the Hub's API and files live. The endpoint is https://huggingface.co unless HF_ENDPOINT
// names another (a mirror, or the tests' local server), as huggingface_hub allows.

#include <string>

namespace cosmos3::hub {

// HF_ENDPOINT without its trailing '/', or https://huggingface.co.
std::string default_endpoint();

// {endpoint}/api/models/{repo}/revision/{revision}?blobs=true: the file list with sizes, git blob
// ids and LFS sha256 in one answer, and the commit the revision points at.
std::string revision_info_url(const std::string& endpoint, const std::string& repo,
                              const std::string& revision);

// {endpoint}/{repo}/resolve/{revision}/{path}, each path segment percent-encoded.
std::string resolve_url(const std::string& endpoint, const std::string& repo,
                        const std::string& revision, const std::string& path);

// Percent-encodes everything but RFC 3986's unreserved characters and, if `keep_slashes`, '/'.
std::string percent_encode(const std::string& text, bool keep_slashes);

}  // namespace cosmos3::hub
