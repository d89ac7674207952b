#pragma once
// The chat formatting a checkpoint's tokenizer applies (HF apply_chat_template with
// add_generation_prompt), read from its tokenizer_config.json. Cosmos3's text tokenizers are
// Qwen-family, whose Jinja templates render plain-text messages as ChatML; that rendering is
// implemented here natively. A template of another family is refused by name rather than
// rendered differently, since a wrong rendering silently changes every generation.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace cosmos3::text {

struct ChatMessage {
  // "system" or "user": the roles Cosmos3 prompts use. Qwen3 templates render assistant turns
  // with reasoning blocks, which this port does not implement.
  std::string role;
  std::string content;
};

class ChatFormat {
 public:
  // Reads `chat_template` and `eos_token` from tokenizer_config.json (or the template from a
  // chat_template.jinja beside it, as newer transformers save it). Throws ConfigError naming the
  // file when either is missing or the template is not a ChatML one.
  static ChatFormat from_tokenizer_config(const std::filesystem::path& config_path);
  // `source_name` names the template in error messages.
  static ChatFormat from_template(std::string_view chat_template, std::string eos_token,
                                  const std::string& source_name);

  // The text the reference's template renders for `messages`, ending with the assistant turn's
  // opening when `add_generation_prompt` is set.
  std::string render(std::span<const ChatMessage> messages, bool add_generation_prompt) const;

  const std::string& eos_token() const { return eos_token_; }

 private:
  ChatFormat(std::string eos_token, std::string default_system_prompt)
      : eos_token_(std::move(eos_token)),
        default_system_prompt_(std::move(default_system_prompt)) {}

  std::string eos_token_;
  // Qwen2-VL style templates open every conversation without a system message with this one.
  std::string default_system_prompt_;
};

}  // namespace cosmos3::text
