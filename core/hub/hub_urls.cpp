#include "core/hub/hub_urls.h"

#include <cctype>
#include <cstdlib>

namespace cosmos3::hub {

std::string default_endpoint() {
  const char* value = std::getenv("HF_ENDPOINT");
  std::string endpoint = value != nullptr && *value != '\0' ? value : "https://huggingface.co";
  while (!endpoint.empty() && endpoint.back() == '/') {
    endpoint.pop_back();
  }
  return endpoint;
}

std::string percent_encode(const std::string& text, bool keep_slashes) {
  constexpr const char* kHex = "0123456789ABCDEF";
  std::string encoded;
  for (const unsigned char character : text) {
    if (std::isalnum(character) != 0 || character == '-' || character == '_' || character == '.' ||
        character == '~' || (keep_slashes && character == '/')) {
      encoded += static_cast<char>(character);
    } else {
      encoded += '%';
      encoded += kHex[character >> 4];
      encoded += kHex[character & 0x0F];
    }
  }
  return encoded;
}

std::string revision_info_url(const std::string& endpoint, const std::string& repo,
                              const std::string& revision) {
  return endpoint + "/api/models/" + percent_encode(repo, true) + "/revision/" +
         percent_encode(revision, false) + "?blobs=true";
}

std::string resolve_url(const std::string& endpoint, const std::string& repo,
                        const std::string& revision, const std::string& path) {
  return endpoint + "/" + percent_encode(repo, true) + "/resolve/" +
         percent_encode(revision, false) + "/" + percent_encode(path, true);
}

}  // namespace cosmos3::hub
