#pragma once
// Unicode NFC through ICU, the normalizer the Qwen3 vocabulary declares.

#include <string>
#include <string_view>

struct UNormalizer2;

namespace cosmos3::text {

class NfcNormalizer {
 public:
  NfcNormalizer();

  // `text` must be valid UTF-8.
  std::string normalize(std::string_view text) const;

 private:
  const UNormalizer2* normalizer_;  // ICU's process-wide singleton; never freed
};

}  // namespace cosmos3::text
