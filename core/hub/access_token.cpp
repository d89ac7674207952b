#include "core/hub/access_token.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cosmos3::hub {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::optional<AccessToken> token_from_file(const std::filesystem::path& path) {
  std::ifstream stream(path);
  if (!stream) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << stream.rdbuf();
  std::string value = trimmed(text.str());
  if (value.empty()) {
    return std::nullopt;
  }
  return AccessToken{std::move(value), path.string()};
}

// huggingface_hub's default token file: $HF_HOME/token, where HF_HOME defaults to
// $XDG_CACHE_HOME/huggingface, itself ~/.cache/huggingface.
std::filesystem::path default_token_file() {
  if (const std::string hf_home = environment("HF_HOME"); !hf_home.empty()) {
    return std::filesystem::path(hf_home) / "token";
  }
  if (const std::string cache = environment("XDG_CACHE_HOME"); !cache.empty()) {
    return std::filesystem::path(cache) / "huggingface" / "token";
  }
  return std::filesystem::path(environment("HOME")) / ".cache" / "huggingface" / "token";
}

}  // namespace

std::optional<AccessToken> find_access_token(const std::string& explicit_token) {
  if (std::string value = trimmed(explicit_token); !value.empty()) {
    return AccessToken{std::move(value), "the given token"};
  }
  if (std::string value = trimmed(environment("HF_TOKEN")); !value.empty()) {
    return AccessToken{std::move(value), "HF_TOKEN"};
  }
  if (const std::string path = environment("HF_TOKEN_PATH"); !path.empty()) {
    return token_from_file(path);
  }
  return token_from_file(default_token_file());
}

}  // namespace cosmos3::hub
