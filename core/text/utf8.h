#pragma once
// UTF-8 helpers shared by the tokenizer stages. Text inside the tokenizer is always valid UTF-8:
// encode() checks its input once, so later stages may step through code points unchecked.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::text {

// The byte offset of the first byte that is not part of valid UTF-8, or nullopt when all is.
std::optional<size_t> find_invalid_utf8(std::string_view bytes);

// The code point starting at `offset` of valid UTF-8; advances `offset` past it.
char32_t next_code_point(std::string_view text, size_t& offset);

// The code point ending just before `end` of valid UTF-8; moves `end` back to its start.
char32_t previous_code_point(std::string_view text, size_t& end);

void append_utf8(std::string& out, char32_t code_point);

// Bytes as text, each maximal invalid subsequence replaced by U+FFFD: the rule of Rust's
// String::from_utf8_lossy, which the reference decoder applies.
std::string utf8_lossy(std::string_view bytes);

}  // namespace cosmos3::text
