#pragma once
// A thin owner of one libcurl easy handle: GETs with the Hub's bearer token, redirects followed
// (the token is not sent on to another host, libcurl's default), a byte-range start for resumes,
// and a stop flag that aborts a transfer between two chunks.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::hub {

struct HttpResult {
  enum class Outcome {
    kComplete,        // the server sent the whole response
    kTransportError,  // connection refused, dropped, timed out: retrying may work
    kSinkFailed,      // our side refused a chunk (e.g. the disk is full)
    kCanceled,        // the stop flag was raised
  };
  Outcome outcome = Outcome::kComplete;
  long status = 0;                             // of the final response, after redirects
  std::map<std::string, std::string> headers;  // of the final response, names in lower case
  std::string error_body;                      // the body of a response with status >= 400
  std::string transport_error;                 // libcurl's description of a transport error
};

class HttpClient {
 public:
  // Receives the body of a response below 400 chunk by chunk, with its status (200 or 206 for a
  // range); returns false to stop the transfer.
  using BodySink = std::function<bool(long status, std::string_view chunk)>;

  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void set_token(std::optional<std::string> token) { token_ = std::move(token); }
  // Checked between chunks; the flag must outlive the client's transfers.
  void set_stop_flag(const std::atomic<bool>* stop_requested) { stop_requested_ = stop_requested; }

  // GET `url`, from byte `range_start` on when it is not 0 (a server that ignores the range
  // answers 200 instead of 206: the caller must check `status`).
  HttpResult get(const std::string& url, uint64_t range_start, const BodySink& sink);
  // GET `url` with the body kept in `body` (small API answers).
  HttpResult get_text(const std::string& url, std::string& body);

 private:
  void* curl_ = nullptr;  // CURL*, kept out of this header
  std::optional<std::string> token_;
  const std::atomic<bool>* stop_requested_ = nullptr;
};

}  // namespace cosmos3::hub
