#include "core/pipeline/prompt_tokens.h"

#include "core/errors.h"

namespace cosmos3::pipeline {
namespace {

constexpr const char* kStartOfGeneration = "<|vision_start|>";

int64_t required_token(const text::Tokenizer& tokenizer, const std::string& token,
                       const std::filesystem::path& tokenizer_path, const char* why) {
  const std::optional<int64_t> id = tokenizer.token_to_id(token);
  if (!id) {
    throw ConfigError(tokenizer_path.string() + ": has no token '" + token + "' (" + why +
                      "); this is not a Cosmos3 text tokenizer");
  }
  return *id;
}

}  // namespace

PromptTokenizer::PromptTokenizer(text::Tokenizer tokenizer, text::ChatFormat chat_format,
                                 int64_t eos_id, int64_t start_of_generation_id)
    : tokenizer_(std::move(tokenizer)),
      chat_format_(std::move(chat_format)),
      eos_id_(eos_id),
      start_of_generation_id_(start_of_generation_id) {}

PromptTokenizer PromptTokenizer::load(const std::filesystem::path& tokenizer_dir) {
  const std::filesystem::path tokenizer_path = tokenizer_dir / "tokenizer.json";
  text::Tokenizer tokenizer = text::Tokenizer::from_file(tokenizer_path);
  text::ChatFormat chat_format =
      text::ChatFormat::from_tokenizer_config(tokenizer_dir / "tokenizer_config.json");
  const int64_t eos_id = required_token(tokenizer, chat_format.eos_token(), tokenizer_path,
                                        "the eos_token of tokenizer_config.json");
  const int64_t start_id = required_token(tokenizer, kStartOfGeneration, tokenizer_path,
                                          "it opens the generated tokens");
  return PromptTokenizer(std::move(tokenizer), std::move(chat_format), eos_id, start_id);
}

std::string PromptTokenizer::render(const Conversation& conversation) const {
  std::vector<text::ChatMessage> messages;
  if (conversation.system) {
    messages.push_back({"system", *conversation.system});
  }
  messages.push_back({"user", conversation.user});
  return chat_format_.render(messages, /*add_generation_prompt=*/true);
}

std::vector<int64_t> PromptTokenizer::tokenize(const Conversation& conversation) const {
  std::vector<int64_t> ids = tokenizer_.encode(render(conversation));
  ids.push_back(eos_id_);
  ids.push_back(start_of_generation_id_);
  return ids;
}

}  // namespace cosmos3::pipeline
