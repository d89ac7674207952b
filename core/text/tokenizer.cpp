#include "core/text/tokenizer.h"

#include "core/errors.h"
#include "core/text/byte_level.h"
#include "core/text/tokenizer_parts.h"
#include "core/text/utf8.h"

#include <fstream>
#include <iterator>

namespace cosmos3::text {

Tokenizer::Tokenizer(std::unique_ptr<TokenizerParts> parts) : parts_(std::move(parts)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::from_file(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) {
    throw ConfigError(path.string() +
                      ": cannot open the tokenizer.json; check the path (scripts/"
                      "fetch_tokenizers.sh downloads the Qwen3 one)");
  }
  const std::string json_text{std::istreambuf_iterator<char>(input),
                              std::istreambuf_iterator<char>()};
  return from_json(json_text, path.string());
}

Tokenizer Tokenizer::from_json(std::string_view json_text, const std::string& source_name) {
  return Tokenizer(std::make_unique<TokenizerParts>(parse_tokenizer_json(json_text, source_name)));
}

// Normalizes, pre-tokenizes and runs BPE on a piece with no raw-matched added token in it.
void Tokenizer::encode_text(const std::string& text, std::vector<int64_t>& ids) const {
  const std::string normalized = parts_->normalizer ? parts_->normalizer->normalize(text) : text;
  std::vector<std::string> words;
  for (const TextPiece& piece : parts_->added_vocabulary.split_normalized(normalized)) {
    if (piece.token_id) {
      ids.push_back(*piece.token_id);
      continue;
    }
    words.clear();
    parts_->pre_tokenizer.split(piece.text, words);
    for (const std::string& word : words) {
      parts_->model->tokenize(word, ids);
    }
  }
}

std::vector<int64_t> Tokenizer::encode(std::string_view text) const {
  if (const auto invalid_at = find_invalid_utf8(text)) {
    throw UserError("text to tokenize is not valid UTF-8 (first bad byte at offset " +
                    std::to_string(*invalid_at) + ")");
  }
  std::vector<int64_t> ids;
  for (const TextPiece& piece : parts_->added_vocabulary.split_raw(text)) {
    if (piece.token_id) {
      ids.push_back(*piece.token_id);
    } else {
      encode_text(piece.text, ids);
    }
  }
  return ids;
}

// Added tokens go through the decoder with the others, as in the reference: their characters
// are read as byte-level characters too, so "café" as an added token decodes to "caf\uFFFD".
std::string Tokenizer::decode(std::span<const int64_t> ids, bool skip_special_tokens) const {
  std::vector<const std::string*> tokens;
  tokens.reserve(ids.size());
  for (const int64_t id : ids) {
    if (const AddedToken* added = parts_->added_vocabulary.find(id)) {
      if (!(skip_special_tokens && added->special)) {
        tokens.push_back(&added->content);
      }
    } else if (const std::string* token = parts_->model->id_to_token(id)) {
      tokens.push_back(token);
    }
  }
  std::string text;
  if (parts_->decoder == DecoderKind::kJoinWithSpaces) {
    for (const std::string* token : tokens) {
      text += (text.empty() ? "" : " ") + *token;
    }
    return text;
  }
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
  for (const std::string* token : tokens) {
    alphabet.decode_token(*token, text);
  }
  return utf8_lossy(text);
}

std::optional<int64_t> Tokenizer::token_to_id(std::string_view token) const {
  if (const auto id = parts_->added_vocabulary.token_to_id(token)) {
    return id;
  }
  return parts_->model->token_to_id(token);
}

}  // namespace cosmos3::text
