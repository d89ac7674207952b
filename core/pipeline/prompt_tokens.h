#pragma once
// Prompt text to the token ids the transformer reads, as the reference's tokenize_prompt builds
// them: the conversation rendered with the tokenizer's chat template (generation prompt on),
// tokenized, then the end-of-turn token and <|vision_start|> appended.

#include "core/pipeline/prompt_template.h"
#include "core/text/chat_format.h"
#include "core/text/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace cosmos3::pipeline {

class PromptTokenizer {
 public:
  // `tokenizer_dir` holds tokenizer.json and tokenizer_config.json. Throws ConfigError naming
  // the file when either is unusable or lacks a token Cosmos3 needs.
  static PromptTokenizer load(const std::filesystem::path& tokenizer_dir);

  std::vector<int64_t> tokenize(const Conversation& conversation) const;

  // The rendered text before tokenization, for logs and tests.
  std::string render(const Conversation& conversation) const;

 private:
  PromptTokenizer(text::Tokenizer tokenizer, text::ChatFormat chat_format, int64_t eos_id,
                  int64_t start_of_generation_id);

  text::Tokenizer tokenizer_;
  text::ChatFormat chat_format_;
  int64_t eos_id_;
  int64_t start_of_generation_id_;
};

}  // namespace cosmos3::pipeline
