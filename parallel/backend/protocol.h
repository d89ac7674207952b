#pragma once
// The backend protocol between a client (the studio, cosmos3-batch) and a resident worker
// group: one compact JSON object per line over a Unix-domain socket. PROTOCOL.md beside this
// file documents every message; this header holds what both sides must agree on.

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::backend {

inline constexpr int kProtocolVersion = 1;
// A longer line is refused unread; the longest legitimate message is a job with the reference's
// ~15,000-character negative prompt, far below this.
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;

// A client message the group cannot take: not JSON, not an object, an unknown type, a missing
// or mistyped field, or a message out of order. The group answers with a protocol_error event
// and keeps the connection.
class ProtocolError : public UserError {
 public:
  using UserError::UserError;
};

// Checks a client message's framing and fields (not the job's contents, which the job request
// checks). Throws ProtocolError naming the problem.
nlohmann::json parse_client_message(std::string_view line);

// One line on the wire: compact JSON and a newline.
std::string to_line(const nlohmann::json& message);

// Events that end a job; exactly one of them reaches the client for every accepted job.
bool is_terminal_event(const nlohmann::json& event);

// The classes of a failed job, as the `class` field of a `failed` event names them.
namespace failure_class {
inline constexpr const char* kInvalidRequest = "invalid_request";
inline constexpr const char* kCheckpoint = "checkpoint";
inline constexpr const char* kOutOfMemory = "out_of_memory";
inline constexpr const char* kRankDied = "rank_died";
inline constexpr const char* kOutput = "output";
inline constexpr const char* kMedia = "media";
inline constexpr const char* kInternal = "internal";
}  // namespace failure_class

// A rank that cannot go on prints one line, this marker and a JSON object with class, message,
// suggestion and rank, before it exits; the supervisor reads it from the rank's log.
inline constexpr std::string_view kFailureRecordMarker = "COSMOS3_FAILURE ";
// The record in `log_line`, if it holds one.
std::optional<nlohmann::json> parse_failure_record(std::string_view log_line);

}  // namespace cosmos3::backend
