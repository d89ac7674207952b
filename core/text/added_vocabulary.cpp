#include "core/text/added_vocabulary.h"

#include "core/text/utf8.h"

#include <unicode/uchar.h>

#include <algorithm>

namespace cosmos3::text {
namespace {

struct Match {
  size_t begin = 0;
  size_t end = 0;
  size_t token_index = 0;
};

// The leftmost match at or after `from`, the longest among those starting there.
std::optional<Match> find_leftmost_longest(std::string_view text, size_t from,
                                           const std::vector<std::string_view>& patterns) {
  for (size_t begin = from; begin < text.size(); ++begin) {
    std::optional<Match> best;
    for (size_t index = 0; index < patterns.size(); ++index) {
      const std::string_view pattern = patterns[index];
      const bool longer = !best || pattern.size() > best->end - best->begin;
      if (longer && !pattern.empty() && text.substr(begin).starts_with(pattern)) {
        best = Match{begin, begin + pattern.size(), index};
      }
    }
    if (best) {
      return best;
    }
  }
  return std::nullopt;
}

bool is_whitespace(char32_t code_point) {
  return u_isUWhiteSpace(static_cast<UChar32>(code_point));
}

// Rust regex's \w, which the reference's single_word check uses.
bool is_word_character(char32_t code_point) {
  const auto character = static_cast<UChar32>(code_point);
  const int32_t category_mask = U_GET_GC_MASK(character);
  return u_hasBinaryProperty(character, UCHAR_ALPHABETIC) ||
         u_hasBinaryProperty(character, UCHAR_JOIN_CONTROL) ||
         (category_mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0;
}

bool ends_with_word(std::string_view text) {
  size_t end = text.size();
  return end > 0 && is_word_character(previous_code_point(text, end));
}

bool starts_with_word(std::string_view text) {
  size_t offset = 0;
  return !text.empty() && is_word_character(next_code_point(text, offset));
}

// Start of the whitespace run that ends `text`.
size_t trailing_whitespace_start(std::string_view text) {
  size_t end = text.size();
  while (end > 0) {
    size_t start = end;
    if (!is_whitespace(previous_code_point(text, start))) {
      return end;
    }
    end = start;
  }
  return 0;
}

size_t leading_whitespace_length(std::string_view text) {
  size_t offset = 0;
  while (offset < text.size()) {
    size_t next = offset;
    if (!is_whitespace(next_code_point(text, next))) {
      return offset;
    }
    offset = next;
  }
  return text.size();
}

}  // namespace

AddedVocabulary::AddedVocabulary(std::vector<AddedToken> tokens,
                                 const std::vector<std::string>& normalized_contents)
    : tokens_(std::move(tokens)) {
  for (size_t index = 0; index < tokens_.size(); ++index) {
    index_of_id_[tokens_[index].id] = index;
    if (tokens_[index].normalized) {
      normalized_patterns_.push_back({normalized_contents[index], index});
    } else {
      raw_patterns_.push_back({tokens_[index].content, index});
    }
  }
}

const AddedToken* AddedVocabulary::find(int64_t id) const {
  const auto found = index_of_id_.find(id);
  return found == index_of_id_.end() ? nullptr : &tokens_[found->second];
}

std::optional<int64_t> AddedVocabulary::token_to_id(std::string_view content) const {
  for (const AddedToken& token : tokens_) {
    if (token.content == content) {
      return token.id;
    }
  }
  return std::nullopt;
}

std::vector<TextPiece> AddedVocabulary::split_raw(std::string_view text) const {
  return split(text, raw_patterns_);
}

std::vector<TextPiece> AddedVocabulary::split_normalized(std::string_view text) const {
  return split(text, normalized_patterns_);
}

// Mirrors the reference's AddedVocabulary::find_matches, including how lstrip stops at the end
// of the previous match.
std::vector<TextPiece> AddedVocabulary::split(std::string_view text,
                                              const std::vector<Pattern>& patterns) const {
  std::vector<std::string_view> pattern_texts;
  for (const Pattern& pattern : patterns) {
    pattern_texts.push_back(pattern.text);
  }
  std::vector<TextPiece> pieces;
  size_t piece_start = 0;
  size_t search_from = 0;
  while (auto match = find_leftmost_longest(text, search_from, pattern_texts)) {
    search_from = match->end;
    const AddedToken& token = tokens_[patterns[match->token_index].token_index];
    size_t begin = match->begin;
    size_t end = match->end;
    if (token.single_word &&
        (ends_with_word(text.substr(0, begin)) || starts_with_word(text.substr(end)))) {
      continue;
    }
    if (token.lstrip) {
      begin = std::max(trailing_whitespace_start(text.substr(0, begin)), piece_start);
    }
    if (token.rstrip) {
      end += leading_whitespace_length(text.substr(end));
    }
    if (piece_start < begin) {
      pieces.push_back({std::string(text.substr(piece_start, begin - piece_start)), std::nullopt});
    }
    pieces.push_back({std::string(text.substr(begin, end - begin)), token.id});
    piece_start = end;
  }
  if (piece_start < text.size()) {
    pieces.push_back({std::string(text.substr(piece_start)), std::nullopt});
  }
  return pieces;
}

}  // namespace cosmos3::text
