#include "core/hub/hub_response.h"

#include "core/hub/hub_errors.h"

#include <nlohmann/json.hpp>

namespace cosmos3::hub {
namespace {

// The Hub's error pages are {"error": "..."}; other servers' are shown as they are, shortened.
std::string server_message(const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>();
  }
  return body.substr(0, 300);
}

std::string header(const HttpResult& result, const std::string& name) {
  const auto found = result.headers.find(name);
  return found == result.headers.end() ? std::string() : found->second;
}

}  // namespace

bool is_retryable_status(long status) { return status == 429 || status >= 500; }

void throw_on_hub_error(const HttpResult& result, const std::string& repo, const std::string& what,
                        const std::string& token_source) {
  const long status = result.status;
  if (status < 400) {
    return;
  }
  const bool had_token = !token_source.empty();
  const std::string error_code = header(result, "x-error-code");
  const std::string detail = server_message(result.error_body);
  const std::string said = detail.empty() ? std::string() : " (the Hub says: " + detail + ")";
  if (error_code == "GatedRepo" || status == 403 || (status == 401 && error_code.empty())) {
    throw GatedRepoError(repo, had_token);
  }
  if (error_code == "RepoNotFound" || error_code == "RevisionNotFound" ||
      error_code == "EntryNotFound" || status == 404 || status == 401) {
    throw RepoNotFoundError(
        what + ": not found (HTTP " + std::to_string(status) + ")" + said +
        ": check the repository id and --revision" +
        (had_token ? std::string()
                   : "; a private repository also needs a token (HF_TOKEN or `hf auth login`)"));
  }
  if (status == 429) {
    throw DownloadError(what + ": the Hub limits the request rate (HTTP 429)" + said +
                        "; wait a few minutes and rerun, the download resumes");
  }
  throw DownloadError(what + ": HTTP " + std::to_string(status) + said +
                      "; rerun later, the download resumes where it stopped");
}

}  // namespace cosmos3::hub
