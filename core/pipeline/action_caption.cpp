#include "core/pipeline/action_caption.h"

#include "core/pipeline/generation_request.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace cosmos3::pipeline {
namespace {

// The framing sentences the action model was trained with, per view point.
const std::vector<std::pair<std::string, std::string>>& framings() {
  static const std::vector<std::pair<std::string, std::string>> table{
      {"ego_view", "This video is captured from a first-person perspective looking at the scene."},
      {"third_person_view",
       "This video is captured from a third-person perspective looking towards the agent from "
       "the front."},
      {"wrist_view", "This video is captured from a wrist-mounted camera."},
      {"concat_view", "This video contains concatenated views from multiple camera perspectives."},
  };
  return table;
}

// One code point from UTF-8 at `at`, advancing it; invalid bytes stand for themselves.
uint32_t next_code_point(const std::string& text, size_t& at) {
  const auto byte = static_cast<unsigned char>(text[at++]);
  int num_continuation = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
  uint32_t code = num_continuation == 3   ? byte & 0x07u
                  : num_continuation == 2 ? byte & 0x0Fu
                  : num_continuation == 1 ? byte & 0x1Fu
                                          : byte;
  for (; num_continuation > 0 && at < text.size(); --num_continuation) {
    code = (code << 6) | (static_cast<unsigned char>(text[at++]) & 0x3Fu);
  }
  return code;
}

void append_unicode_escape(std::string& out, uint32_t unit) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "\\u%04x", unit);
  out += buffer;
}

// json.dumps with ensure_ascii: quotes, backslashes and control characters escaped, every
// non-ASCII code point written as \uXXXX (surrogate pairs above the BMP).
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (size_t at = 0; at < text.size();) {
    const uint32_t code = next_code_point(text, at);
    switch (code) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        // Everything outside printable ASCII (space to ~) is escaped, as ensure_ascii does.
        if (code >= 0x10000) {
          const uint32_t value = code - 0x10000;
          append_unicode_escape(out, 0xD800 + (value >> 10));
          append_unicode_escape(out, 0xDC00 + (value & 0x3FF));
        } else if (code < 0x20 || code > 0x7E) {
          append_unicode_escape(out, code);
        } else {
          out += static_cast<char>(code);
        }
    }
  }
  return out + "\"";
}

// Python's repr of a finite float: the shortest round-tripping digits, positional for
// exponents -4..15 (with ".0" when integral), scientific ("1e+16", "1.5e-05") otherwise.
std::string python_float(double value) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string text(buffer, result.ptr);
  const size_t e = text.find('e');
  const bool negative = text[0] == '-';
  std::string digits = text.substr(negative ? 1 : 0, e - (negative ? 1 : 0));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exponent = std::atoi(text.c_str() + e + 1);
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    const int num_digits = static_cast<int>(digits.size());
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (exponent + 1 >= num_digits) {
      out += digits + std::string(static_cast<size_t>(exponent + 1 - num_digits), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent + 1)) + "." +
             digits.substr(static_cast<size_t>(exponent + 1));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += "." + digits.substr(1);
  }
  char exponent_text[16];
  std::snprintf(exponent_text, sizeof(exponent_text), "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  return out + exponent_text;
}

std::string stripped(const std::string& text) {
  const char* whitespace = " \t\n\r\v\f";
  const size_t first = text.find_first_not_of(whitespace);
  if (first == std::string::npos) {
    return "";
  }
  return text.substr(first, text.find_last_not_of(whitespace) - first + 1);
}

// The nearest of the trained aspect ratios to width / height; a tie goes to the first.
std::string aspect_ratio_of(int height, int width) {
  static const std::array<std::pair<int, int>, 5> ratios{
      {{1, 1}, {4, 3}, {3, 4}, {16, 9}, {9, 16}}};
  const double ratio = height > 0 ? static_cast<double>(width) / height : 1.0;
  const auto* best = &ratios[0];
  for (const auto& candidate : ratios) {
    const double distance =
        std::abs(static_cast<double>(candidate.first) / candidate.second - ratio);
    const double best_distance = std::abs(static_cast<double>(best->first) / best->second - ratio);
    if (distance < best_distance) {
      best = &candidate;
    }
  }
  return std::to_string(best->first) + "," + std::to_string(best->second);
}

}  // namespace

const std::vector<std::string>& action_view_points() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& [name, framing] : framings()) {
      result.push_back(name);
    }
    return result;
  }();
  return names;
}

void check_action_view_point(const std::string& view_point) {
  for (const auto& [name, framing] : framings()) {
    if (name == view_point) {
      return;
    }
  }
  throw RequestError("--view-point '" + view_point +
                     "' is not one the action model knows; choose ego_view, third_person_view, "
                     "wrist_view or concat_view");
}

std::string action_caption(const std::string& description, const std::string& view_point,
                           int num_frames, double fps, int height, int width) {
  const double seconds = fps > 0 ? num_frames / fps : 0.0;
  const bool usable = seconds >= 0 && std::isfinite(seconds);
  const auto whole_seconds = usable ? static_cast<int64_t>(seconds) : 0;
  // Python's round(): halves to even, as nearbyint does by default.
  const auto end_seconds = usable ? static_cast<int64_t>(std::nearbyint(seconds)) : 0;
  char time_range[64];
  std::snprintf(time_range, sizeof(time_range), "0:00-%lld:%02lld",
                static_cast<long long>(end_seconds / 60), static_cast<long long>(end_seconds % 60));

  std::string task = stripped(description);
  if (!task.empty() && task.back() != '.' && task.back() != '!' && task.back() != '?') {
    task += ".";
  }
  std::string json = "{";
  for (const auto& [name, framing] : framings()) {
    if (name == view_point) {
      json += "\"cinematography\": {\"framing\": " + json_string(framing) + "}, ";
    }
  }
  json += "\"actions\": [{\"time\": " + json_string(time_range) +
          ", \"description\": " + json_string(task) + "}], ";
  json += "\"duration\": " + json_string(std::to_string(whole_seconds) + "s") + ", ";
  json += "\"fps\": " + python_float(fps) + ", ";
  json += "\"resolution\": {\"H\": " + std::to_string(height) +
          ", \"W\": " + std::to_string(width) + "}, ";
  json += "\"aspect_ratio\": " + json_string(aspect_ratio_of(height, width)) + "}";
  return json;
}

}  // namespace cosmos3::pipeline
