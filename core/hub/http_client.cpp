#include "core/hub/http_client.h"

#include "core/hub/hub_errors.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace cosmos3::hub {
namespace {

constexpr long kConnectTimeoutSeconds = 30;
// A transfer slower than 1 byte/s for a minute is a stalled connection: treat it as dropped so
// the download resumes instead of hanging forever.
constexpr long kStallSeconds = 60;

void initialize_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  CURL* curl = nullptr;
  const HttpClient::BodySink* sink = nullptr;
  const std::atomic<bool>* stop_requested = nullptr;
  HttpResult result;
  bool sink_failed = false;
  bool canceled = false;
};

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char character) {
    return static_cast<char>(std::tolower(character));
  });
  return text;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string line(data, size * count);
  // Each response of a redirect chain starts with its status line: keep only the last headers.
  if (line.rfind("HTTP/", 0) == 0) {
    transfer.result.headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    transfer.result.headers[lower_case(line.substr(0, colon))] = trimmed(line.substr(colon + 1));
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(transfer.curl, CURLINFO_RESPONSE_CODE, &status);
  const std::string_view chunk(data, size * count);
  if (status >= 400) {
    // Error pages are short; the Hub's carry a JSON {"error": ...} worth showing.
    if (transfer.result.error_body.size() < 64 * 1024) {
      transfer.result.error_body.append(chunk);
    }
    return chunk.size();
  }
  if (transfer.stop_requested != nullptr && transfer.stop_requested->load()) {
    transfer.canceled = true;
    return 0;
  }
  if (!(*transfer.sink)(status, chunk)) {
    transfer.sink_failed = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  return chunk.size();
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& transfer = *static_cast<Transfer*>(user);
  return transfer.stop_requested != nullptr && transfer.stop_requested->load() ? 1 : 0;
}

}  // namespace

HttpClient::HttpClient() {
  initialize_curl_once();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) {
    throw DownloadError("libcurl could not start a transfer (out of memory?)");
  }
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResult HttpClient::get(const std::string& url, uint64_t range_start, const BodySink& sink) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  Transfer transfer;
  transfer.curl = curl;
  transfer.sink = &sink;
  transfer.stop_requested = stop_requested_;

  curl_slist* headers = nullptr;
  if (token_) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + *token_).c_str());
  }
  const std::string range = std::to_string(range_start) + "-";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "cosmos3-studio (libcurl)");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (range_start > 0) {
    curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.result.status);

  if (code == CURLE_OK) {
    transfer.result.outcome = HttpResult::Outcome::kComplete;
  } else if (code == CURLE_ABORTED_BY_CALLBACK || transfer.canceled) {
    transfer.result.outcome = HttpResult::Outcome::kCanceled;
  } else if (code == CURLE_WRITE_ERROR && transfer.sink_failed) {
    transfer.result.outcome = HttpResult::Outcome::kSinkFailed;
  } else {
    transfer.result.outcome = HttpResult::Outcome::kTransportError;
    transfer.result.transport_error = curl_easy_strerror(code);
  }
  return std::move(transfer.result);
}

HttpResult HttpClient::get_text(const std::string& url, std::string& body) {
  body.clear();
  return get(url, 0, [&body](long, std::string_view chunk) {
    body.append(chunk);
    return true;
  });
}

}  // namespace cosmos3::hub
