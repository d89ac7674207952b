#pragma once
// The pre-tokenizer: cuts normalized text into words before BPE. Each step works on every piece
// the previous steps left, as the reference's Sequence does.

#include "core/text/regex.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cosmos3::text {

// What a Split step does with the text its pattern matches.
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

struct SplitStep {
  Regex pattern;
  SplitBehavior behavior = SplitBehavior::kIsolated;
  bool invert = false;  // act on the text between matches instead of the matches
};

// Maps bytes to GPT-2's printable alphabet, optionally after the GPT-2 word regex.
struct ByteLevelStep {
  bool add_prefix_space = false;
  std::optional<Regex> word_pattern;  // present when the file sets use_regex
};

using PreTokenizerStep = std::variant<SplitStep, ByteLevelStep>;

class PreTokenizer {
 public:
  void add_step(PreTokenizerStep step) { steps_.push_back(std::move(step)); }

  // Appends the words of `text` to `words`; empty words are dropped.
  void split(const std::string& text, std::vector<std::string>& words) const;

 private:
  std::vector<PreTokenizerStep> steps_;
};

// GPT-2's word pattern, which ByteLevel applies when use_regex is true.
Regex gpt2_word_pattern();

}  // namespace cosmos3::text
