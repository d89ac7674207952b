#include "core/text/byte_level.h"

#include "core/text/utf8.h"

namespace cosmos3::text {
namespace {

bool maps_to_itself(int byte) {
  return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
         (byte >= 0xAE && byte <= 0xFF);
}

}  // namespace

const ByteLevelAlphabet& ByteLevelAlphabet::instance() {
  static const ByteLevelAlphabet alphabet;
  return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
  char32_t next_shifted = 0x100;
  for (int byte = 0; byte < 256; ++byte) {
    const char32_t code_point = maps_to_itself(byte) ? static_cast<char32_t>(byte) : next_shifted++;
    append_utf8(utf8_of_byte_[byte], code_point);
    byte_of_char_.emplace(code_point, static_cast<char>(byte));
  }
}

std::string ByteLevelAlphabet::encode(std::string_view bytes) const {
  std::string mapped;
  mapped.reserve(bytes.size() * 2);
  for (const char byte : bytes) {
    mapped += utf8_of_byte_[static_cast<unsigned char>(byte)];
  }
  return mapped;
}

void ByteLevelAlphabet::decode_token(std::string_view token, std::string& bytes) const {
  const size_t num_bytes_before = bytes.size();
  size_t offset = 0;
  while (offset < token.size()) {
    const auto found = byte_of_char_.find(next_code_point(token, offset));
    if (found == byte_of_char_.end()) {
      bytes.resize(num_bytes_before);
      bytes.append(token);
      return;
    }
    bytes += found->second;
  }
}

}  // namespace cosmos3::text
