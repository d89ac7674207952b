#pragma once
// The stages a tokenizer.json describes, in the order encode() runs them.

#include "core/text/added_vocabulary.h"
#include "core/text/bpe_model.h"
#include "core/text/nfc_normalizer.h"
#include "core/text/pre_tokenizer.h"

#include <optional>
#include <string>
#include <string_view>

namespace cosmos3::text {

// How decode() turns token strings back into text.
enum class DecoderKind {
  kByteLevel,       // undo the GPT-2 byte map
  kJoinWithSpaces,  // the reference's behaviour when the file has no decoder
};

struct TokenizerParts {
  AddedVocabulary added_vocabulary;
  std::optional<NfcNormalizer> normalizer;
  PreTokenizer pre_tokenizer;
  std::optional<BpeModel> model;
  DecoderKind decoder = DecoderKind::kByteLevel;
};

// Builds the stages from tokenizer.json text. Throws ConfigError naming `source_name` and the
// component when the file is malformed or uses something this tokenizer does not implement.
TokenizerParts parse_tokenizer_json(std::string_view json_text, const std::string& source_name);

}  // namespace cosmos3::text
