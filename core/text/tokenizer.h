#pragma once
// A byte-level BPE text tokenizer loaded from a HuggingFace tokenizer.json, giving the same ids
// as the `tokenizers` library for the components it implements (those of the Qwen3 vocabulary:
// added tokens, NFC, Split and ByteLevel pre-tokenizers, BPE, ByteLevel decoder). A file using
// anything else is refused with a ConfigError rather than tokenized differently.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cosmos3::text {

struct TokenizerParts;

class Tokenizer {
 public:
  // Throws ConfigError naming the file when it is missing, unreadable, or not usable.
  static Tokenizer from_file(const std::filesystem::path& path);
  // `source_name` names the text in error messages.
  static Tokenizer from_json(std::string_view json_text, const std::string& source_name);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // The reference's encode(text, add_special_tokens=False).ids. Added tokens written in the
  // text (like <|im_start|>) become their ids. Throws UserError when `text` is not UTF-8.
  std::vector<int64_t> encode(std::string_view text) const;

  // The reference's decode(ids, skip_special_tokens). Ids outside the vocabulary are skipped,
  // as the reference does; byte sequences that are not UTF-8 become U+FFFD.
  std::string decode(std::span<const int64_t> ids, bool skip_special_tokens = false) const;

  // Looks in the added tokens first, then in the model's vocabulary.
  std::optional<int64_t> token_to_id(std::string_view token) const;

 private:
  explicit Tokenizer(std::unique_ptr<TokenizerParts> parts);

  void encode_text(const std::string& text, std::vector<int64_t>& ids) const;

  std::unique_ptr<TokenizerParts> parts_;
};

}  // namespace cosmos3::text
