#pragma once
// Helpers shared by the suites: raw file bytes, and checks on error messages.

#include <QtTest/QtTest>

#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

namespace cosmos3::test {

inline std::string read_bytes(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The message of the `Error` that `action` throws, or a marker no expected text contains.
template <typename Error, typename Action>
std::string error_message_of(Action&& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "<no error of the expected type>";
}

// True when `text` holds every part; logs the first missing one.
inline bool contains_all(const std::string& text, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts) {
    if (text.find(part) == std::string::npos) {
      qWarning("message '%s' lacks '%s'", text.c_str(), part.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace cosmos3::test
