#include "core/cli/typed_values.h"

#include <cmath>

namespace cosmos3::cli {

void throw_bad_value(std::string_view flag, std::string_view kind, std::string_view text) {
  throw UsageError(std::string(flag) + " takes " + std::string(kind) + ", got '" +
                   std::string(text) + "'");
}

double to_number(std::string_view flag, std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [parsed_end, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || parsed_end != end || !std::isfinite(value)) {
    throw_bad_value(flag, "a number", text);
  }
  return value;
}

bool to_bool(std::string_view flag, std::string_view text) {
  if (text == "true" || text == "1" || text == "yes") {
    return true;
  }
  if (text == "false" || text == "0" || text == "no") {
    return false;
  }
  throw_bad_value(flag, "true or false", text);
}

}  // namespace cosmos3::cli
