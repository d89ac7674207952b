#pragma once
// cosmos3-generate command lines for the transfer flag tests: the required flags in front of the
// ones a test is about, and the UsageError message a command line is refused with.

#include "parallel/backend/generate_options.h"
#include "tests/test_support.h"

#include <string>
#include <string_view>
#include <vector>

namespace cosmos3::test {

inline std::vector<std::string_view> with_required_flags(std::vector<std::string_view> arguments) {
  std::vector<std::string_view> full{"--model", "m", "--output-dir", "o", "--prompt", "p"};
  full.insert(full.end(), arguments.begin(), arguments.end());
  return full;
}

inline std::string generate_usage_error(std::vector<std::string_view> arguments) {
  const std::vector<std::string_view> full = with_required_flags(std::move(arguments));
  return error_message_of<app::UsageError>([&] { app::parse_generate_options(full); });
}

}  // namespace cosmos3::test
