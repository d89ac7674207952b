#pragma once
// Typed values of flags: each parses a flag's text or throws a UsageError that names the flag,
// what it takes and what it got, so every executable words these errors the same way.

#include "core/cli/usage_error.h"

#include <charconv>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cosmos3::cli {

// "FLAG takes KIND, got 'TEXT'".
[[noreturn]] void throw_bad_value(std::string_view flag, std::string_view kind,
                                  std::string_view text);

// A whole number in the range of `Integer` (decimal, optional leading '-' for signed types).
template <std::integral Integer>
Integer to_integer(std::string_view flag, std::string_view text) {
  Integer value{};
  const char* end = text.data() + text.size();
  const auto [parsed_end, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || parsed_end != end) {
    throw_bad_value(
        flag,
        std::unsigned_integral<Integer> ? "a number (an integer >= 0)" : "a number (an integer)",
        text);
  }
  return value;
}

// A decimal floating-point number ("0.5", "6", "1e-3"); inf and nan are refused.
double to_number(std::string_view flag, std::string_view text);

// true or false (also accepted: 1/0, yes/no).
bool to_bool(std::string_view flag, std::string_view text);

// One of a fixed list of names, mapped to its value; the message lists the names.
template <typename Value>
Value to_enum(std::string_view flag, std::string_view text,
              std::initializer_list<std::pair<std::string_view, Value>> choices) {
  for (const auto& [name, value] : choices) {
    if (name == text) {
      return value;
    }
  }
  std::string names;
  for (size_t index = 0; index < choices.size(); ++index) {
    const std::string_view name = (choices.begin() + index)->first;
    names += (index == 0 ? "" : index + 1 == choices.size() ? " or " : ", ") + std::string(name);
  }
  throw_bad_value(flag, names, text);
}

}  // namespace cosmos3::cli
