#pragma once
// GPT-2's reversible byte-to-character map: every byte becomes a printable code point, so a BPE
// vocabulary of strings can hold arbitrary bytes. Printable Latin-1 bytes map to themselves;
// the rest map to U+0100 upwards in byte order.

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cosmos3::text {

class ByteLevelAlphabet {
 public:
  static const ByteLevelAlphabet& instance();

  // Each byte of `bytes` as its mapped character, in UTF-8.
  std::string encode(std::string_view bytes) const;

  // Appends the bytes behind `token`'s characters to `bytes`. A token holding a character
  // outside the map is appended unchanged, as the reference decoder does.
  void decode_token(std::string_view token, std::string& bytes) const;

 private:
  ByteLevelAlphabet();

  std::array<std::string, 256> utf8_of_byte_;
  std::unordered_map<char32_t, char> byte_of_char_;
};

}  // namespace cosmos3::text
