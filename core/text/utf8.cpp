#include "core/text/utf8.h"

#include <cstdint>

namespace cosmos3::text {
namespace {

// Length of the longest valid prefix of a UTF-8 sequence at `offset` (0 when the lead byte
// is invalid), and whether that prefix is a complete character. The second-byte ranges follow
// Unicode table 3-7, which rules out overlongs, surrogates and code points above U+10FFFF.
struct SequenceCheck {
  size_t num_valid_bytes = 0;
  bool complete = false;
};

SequenceCheck check_sequence(std::string_view bytes, size_t offset) {
  const auto byte_at = [&](size_t index) { return static_cast<uint8_t>(bytes[index]); };
  const uint8_t lead = byte_at(offset);
  if (lead < 0x80) {
    return {1, true};
  }
  size_t num_bytes = 0;
  uint8_t second_min = 0x80;
  uint8_t second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    num_bytes = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    num_bytes = 3;
    second_min = lead == 0xE0 ? 0xA0 : 0x80;
    second_max = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    num_bytes = 4;
    second_min = lead == 0xF0 ? 0x90 : 0x80;
    second_max = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return {0, false};
  }
  size_t num_valid = 1;
  for (; num_valid < num_bytes && offset + num_valid < bytes.size(); ++num_valid) {
    const uint8_t byte = byte_at(offset + num_valid);
    const uint8_t min = num_valid == 1 ? second_min : 0x80;
    const uint8_t max = num_valid == 1 ? second_max : 0xBF;
    if (byte < min || byte > max) {
      break;
    }
  }
  return {num_valid, num_valid == num_bytes};
}

}  // namespace

std::optional<size_t> find_invalid_utf8(std::string_view bytes) {
  size_t offset = 0;
  while (offset < bytes.size()) {
    const SequenceCheck check = check_sequence(bytes, offset);
    if (!check.complete) {
      return offset;
    }
    offset += check.num_valid_bytes;
  }
  return std::nullopt;
}

char32_t next_code_point(std::string_view text, size_t& offset) {
  const auto byte_at = [&](size_t index) { return static_cast<uint8_t>(text[index]); };
  const uint8_t lead = byte_at(offset);
  if (lead < 0x80) {
    ++offset;
    return lead;
  }
  const size_t num_bytes = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  char32_t code_point = lead & (0x7F >> num_bytes);
  for (size_t index = 1; index < num_bytes; ++index) {
    code_point = (code_point << 6) | (byte_at(offset + index) & 0x3F);
  }
  offset += num_bytes;
  return code_point;
}

char32_t previous_code_point(std::string_view text, size_t& end) {
  size_t start = end - 1;
  while (start > 0 && (static_cast<uint8_t>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t cursor = start;
  const char32_t code_point = next_code_point(text, cursor);
  end = start;
  return code_point;
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::string utf8_lossy(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  size_t offset = 0;
  while (offset < bytes.size()) {
    const SequenceCheck check = check_sequence(bytes, offset);
    if (check.complete) {
      text.append(bytes.substr(offset, check.num_valid_bytes));
      offset += check.num_valid_bytes;
    } else {
      append_utf8(text, U'\uFFFD');
      offset += check.num_valid_bytes == 0 ? 1 : check.num_valid_bytes;
    }
  }
  return text;
}

}  // namespace cosmos3::text
