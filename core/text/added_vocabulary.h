#pragma once
// Added tokens (chat markers like <|im_start|>): found in the text before anything else, so
// they are never split by the pre-tokenizer or merged by BPE. Matching is leftmost-longest, as
// the reference's Aho-Corasick automaton does.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cosmos3::text {

struct AddedToken {
  int64_t id = 0;
  std::string content;
  bool special = false;      // dropped by decode(skip_special_tokens)
  bool single_word = false;  // only matches with no word character on either side
  bool lstrip = false;       // swallows whitespace on its left
  bool rstrip = false;       // swallows whitespace on its right
  bool normalized = false;   // matched in normalized text rather than the raw input
};

// A piece of text, either an added token (`token_id` set) or text still to tokenize.
struct TextPiece {
  std::string text;
  std::optional<int64_t> token_id;
};

class AddedVocabulary {
 public:
  // `normalized_contents[i]` is tokens[i]'s content after the tokenizer's normalizer; it is
  // what a token with `normalized` set is matched as.
  AddedVocabulary(std::vector<AddedToken> tokens,
                  const std::vector<std::string>& normalized_contents);
  AddedVocabulary() = default;

  // Splits `text` on the tokens matched in raw text (normalized == false).
  std::vector<TextPiece> split_raw(std::string_view text) const;
  // Splits `text`, already normalized, on the tokens with normalized == true.
  std::vector<TextPiece> split_normalized(std::string_view text) const;

  const AddedToken* find(int64_t id) const;
  std::optional<int64_t> token_to_id(std::string_view content) const;
  bool empty() const { return tokens_.empty(); }

 private:
  struct Pattern {
    std::string text;
    size_t token_index = 0;
  };

  std::vector<TextPiece> split(std::string_view text, const std::vector<Pattern>& patterns) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<int64_t, size_t> index_of_id_;
  std::vector<Pattern> raw_patterns_;
  std::vector<Pattern> normalized_patterns_;
};

}  // namespace cosmos3::text
