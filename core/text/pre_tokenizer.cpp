#include "core/text/pre_tokenizer.h"

#include "core/text/byte_level.h"

#include <algorithm>

namespace cosmos3::text {
namespace {

struct Segment {
  ByteRange range;
  bool is_match = false;
};

// The text cut into alternating matched and unmatched segments that cover all of it.
std::vector<Segment> segments_of(const Regex& pattern, std::string_view text) {
  std::vector<Segment> segments;
  size_t previous_end = 0;
  for (const ByteRange& match : pattern.find_all(text)) {
    if (match.begin != previous_end) {
      segments.push_back({{previous_end, match.begin}, false});
    }
    segments.push_back({match, true});
    previous_end = match.end;
  }
  if (previous_end != text.size()) {
    segments.push_back({{previous_end, text.size()}, false});
  }
  return segments;
}

// The reference's NormalizedString::split: which byte ranges survive for each behavior.
std::vector<ByteRange> split_ranges(const std::vector<Segment>& segments, SplitBehavior behavior) {
  std::vector<ByteRange> ranges;
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::kIsolated:
      for (const Segment& segment : segments) {
        ranges.push_back(segment.range);
      }
      break;
    case SplitBehavior::kRemoved:
      for (const Segment& segment : segments) {
        if (!segment.is_match) {
          ranges.push_back(segment.range);
        }
      }
      break;
    case SplitBehavior::kContiguous:
      for (const Segment& segment : segments) {
        if (segment.is_match == previous_match && !ranges.empty()) {
          ranges.back().end = segment.range.end;
        } else {
          ranges.push_back(segment.range);
        }
        previous_match = segment.is_match;
      }
      break;
    case SplitBehavior::kMergedWithPrevious:
      for (const Segment& segment : segments) {
        if (segment.is_match && !previous_match && !ranges.empty()) {
          ranges.back().end = segment.range.end;
        } else {
          ranges.push_back(segment.range);
        }
        previous_match = segment.is_match;
      }
      break;
    case SplitBehavior::kMergedWithNext:
      for (auto segment = segments.rbegin(); segment != segments.rend(); ++segment) {
        if (segment->is_match && !previous_match && !ranges.empty()) {
          ranges.back().begin = segment->range.begin;
        } else {
          ranges.push_back(segment->range);
        }
        previous_match = segment->is_match;
      }
      std::reverse(ranges.begin(), ranges.end());
      break;
  }
  return ranges;
}

void apply_split(const SplitStep& step, const std::string& piece,
                 std::vector<std::string>& pieces) {
  std::vector<Segment> segments = segments_of(step.pattern, piece);
  if (step.invert) {
    for (Segment& segment : segments) {
      segment.is_match = !segment.is_match;
    }
  }
  for (const ByteRange& range : split_ranges(segments, step.behavior)) {
    if (range.end > range.begin) {
      pieces.emplace_back(piece, range.begin, range.end - range.begin);
    }
  }
}

void apply_byte_level(const ByteLevelStep& step, const std::string& piece,
                      std::vector<std::string>& pieces) {
  std::string prefixed = piece;
  if (step.add_prefix_space && !piece.starts_with(' ')) {
    prefixed.insert(0, 1, ' ');
  }
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
  if (!step.word_pattern) {
    pieces.push_back(alphabet.encode(prefixed));
    return;
  }
  for (const Segment& segment : segments_of(*step.word_pattern, prefixed)) {
    const ByteRange& range = segment.range;
    pieces.push_back(
        alphabet.encode(std::string_view(prefixed).substr(range.begin, range.end - range.begin)));
  }
}

}  // namespace

void PreTokenizer::split(const std::string& text, std::vector<std::string>& words) const {
  std::vector<std::string> pieces{text};
  std::vector<std::string> next_pieces;
  for (const PreTokenizerStep& step : steps_) {
    next_pieces.clear();
    for (const std::string& piece : pieces) {
      if (const auto* split_step = std::get_if<SplitStep>(&step)) {
        apply_split(*split_step, piece, next_pieces);
      } else {
        apply_byte_level(std::get<ByteLevelStep>(step), piece, next_pieces);
      }
    }
    pieces.swap(next_pieces);
  }
  for (std::string& piece : pieces) {
    if (!piece.empty()) {
      words.push_back(std::move(piece));
    }
  }
}

Regex gpt2_word_pattern() {
  return Regex(R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)",
               false);
}

}  // namespace cosmos3::text
