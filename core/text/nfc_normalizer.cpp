#include "core/text/nfc_normalizer.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <limits>
#include <stdexcept>
#include <vector>

namespace cosmos3::text {
namespace {

// ICU failures here mean a broken ICU install or memory exhaustion, not bad user input.
void check_icu(UErrorCode status, const char* step) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU ") + step + " failed: " + u_errorName(status));
  }
}

bool is_ascii(std::string_view text) {
  for (const char byte : text) {
    if (static_cast<unsigned char>(byte) >= 0x80) {
      return false;
    }
  }
  return true;
}

std::vector<UChar> to_utf16(std::string_view text) {
  if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max() / 2)) {
    throw std::length_error("text too long for ICU normalization");
  }
  std::vector<UChar> utf16(text.size() + 1);
  int32_t num_units = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &num_units, text.data(),
                static_cast<int32_t>(text.size()), &status);
  check_icu(status, "UTF-8 to UTF-16 conversion");
  utf16.resize(static_cast<size_t>(num_units));
  return utf16;
}

std::string to_utf8(const std::vector<UChar>& utf16) {
  // Each UTF-16 unit needs at most 3 UTF-8 bytes.
  std::string utf8(utf16.size() * 3, '\0');
  int32_t num_bytes = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &num_bytes, utf16.data(),
              static_cast<int32_t>(utf16.size()), &status);
  check_icu(status, "UTF-16 to UTF-8 conversion");
  utf8.resize(static_cast<size_t>(num_bytes));
  return utf8;
}

}  // namespace

NfcNormalizer::NfcNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  normalizer_ = unorm2_getNFCInstance(&status);
  check_icu(status, "unorm2_getNFCInstance");
}

std::string NfcNormalizer::normalize(std::string_view text) const {
  // ASCII is always in NFC; skipping ICU keeps plain English prompts cheap.
  if (is_ascii(text)) {
    return std::string(text);
  }
  const std::vector<UChar> source = to_utf16(text);
  const auto num_source_units = static_cast<int32_t>(source.size());
  UErrorCode status = U_ZERO_ERROR;
  const int32_t num_normalized_units =
      unorm2_normalize(normalizer_, source.data(), num_source_units, nullptr, 0, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR) {
    check_icu(status, "unorm2_normalize (sizing)");
  }
  std::vector<UChar> normalized(static_cast<size_t>(num_normalized_units));
  status = U_ZERO_ERROR;
  unorm2_normalize(normalizer_, source.data(), num_source_units, normalized.data(),
                   num_normalized_units, &status);
  check_icu(status, "unorm2_normalize");
  return to_utf8(normalized);
}

}  // namespace cosmos3::text
