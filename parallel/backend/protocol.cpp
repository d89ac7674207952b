#include "parallel/backend/protocol.h"

#include <map>
#include <vector>

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;

enum class FieldKind { kString, kObject, kInteger, kJobId };

struct FieldRule {
  const char* name;
  FieldKind kind;
};

// The required fields of each client message type.
const std::map<std::string, std::vector<FieldRule>>& message_rules() {
  static const std::map<std::string, std::vector<FieldRule>> rules{
      {"hello", {{"version", FieldKind::kInteger}}},
      {"submit", {{"job_id", FieldKind::kJobId}, {"job", FieldKind::kObject}}},
      {"cancel", {{"job_id", FieldKind::kJobId}}},
      {"ack", {{"job_id", FieldKind::kJobId}}},
      {"status", {}},
      {"shutdown", {}},
  };
  return rules;
}

bool has_kind(const json& value, FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
      return value.is_string();
    case FieldKind::kObject:
      return value.is_object();
    case FieldKind::kInteger:
      return value.is_number_integer();
    case FieldKind::kJobId:
      // Ids name folders and files of the job: keep them to a safe alphabet.
      return value.is_string() && !value.get<std::string>().empty() &&
             value.get<std::string>().size() <= 128 &&
             value.get<std::string>().find_first_not_of(
                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                 std::string::npos &&
             value.get<std::string>().front() != '.';
  }
  return false;
}

const char* kind_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
      return "a string";
    case FieldKind::kObject:
      return "an object";
    case FieldKind::kInteger:
      return "an integer";
    case FieldKind::kJobId:
      return "a string of 1-128 letters, digits, '-', '_' or '.' (not starting with '.')";
  }
  return "?";
}

std::string known_types() {
  std::string names;
  for (const auto& [type, rules] : message_rules()) names += (names.empty() ? "" : ", ") + type;
  return names;
}

}  // namespace

json parse_client_message(std::string_view line) {
  if (line.size() > kMaxMessageBytes) {
    throw ProtocolError("message of " + std::to_string(line.size()) + " bytes is over the " +
                        std::to_string(kMaxMessageBytes) + "-byte limit");
  }
  json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    throw ProtocolError("not JSON: send one JSON object per line");
  }
  if (!message.is_object()) {
    throw ProtocolError("a message must be a JSON object, got " + std::string(message.type_name()));
  }
  const auto type = message.find("type");
  if (type == message.end() || !type->is_string()) {
    throw ProtocolError("a message needs a string field \"type\" (one of " + known_types() + ")");
  }
  const auto rules = message_rules().find(type->get<std::string>());
  if (rules == message_rules().end()) {
    throw ProtocolError("unknown message type \"" + type->get<std::string>() + "\" (one of " +
                        known_types() + ")");
  }
  for (const FieldRule& rule : rules->second) {
    const auto field = message.find(rule.name);
    if (field == message.end() || !has_kind(*field, rule.kind)) {
      throw ProtocolError("\"" + rules->first + "\" needs \"" + rule.name + "\" as " +
                          kind_name(rule.kind));
    }
  }
  return message;
}

std::string to_line(const json& message) { return message.dump() + "\n"; }

bool is_terminal_event(const json& event) {
  const std::string type = event.value("type", "");
  return type == "finished" || type == "failed" || type == "canceled";
}

std::optional<json> parse_failure_record(std::string_view log_line) {
  const size_t marker = log_line.find(kFailureRecordMarker);
  if (marker == std::string_view::npos) return std::nullopt;
  json record = json::parse(log_line.substr(marker + kFailureRecordMarker.size()), nullptr,
                            /*allow_exceptions=*/false);
  if (record.is_discarded() || !record.is_object()) return std::nullopt;
  return record;
}

}  // namespace cosmos3::backend
