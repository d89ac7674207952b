#include "core/text/chat_format.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cosmos3::text {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kTurnStart = "<|im_start|>";
constexpr std::string_view kTurnEnd = "<|im_end|>";
// The default system message of Qwen2-VL style templates, written as the template writes it.
constexpr std::string_view kQwenDefaultSystem = "You are a helpful assistant.";

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw ConfigError(path.string() +
                      ": cannot be read; the checkpoint's text tokenizer folder "
                      "must hold it (re-download the checkpoint)");
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

// tokenizer_config.json writes special tokens as a string or as an AddedToken object.
std::string token_content(const Json& token, const std::string& source, const std::string& key) {
  if (token.is_string()) {
    return token.get<std::string>();
  }
  if (token.is_object() && token.contains("content") && token["content"].is_string()) {
    return token["content"].get<std::string>();
  }
  throw ConfigError(source + ": '" + key + "' must be a token string, got " + token.dump());
}

// The template as tokenizer_config.json holds it: a string, or a list of named templates of
// which the reference uses "default".
std::string template_from_config(const Json& config, const std::filesystem::path& config_path) {
  const Json& chat_template = config["chat_template"];
  if (chat_template.is_string()) {
    return chat_template.get<std::string>();
  }
  if (chat_template.is_array()) {
    for (const Json& entry : chat_template) {
      if (entry.is_object() && entry.value("name", "") == "default" && entry.contains("template") &&
          entry["template"].is_string()) {
        return entry["template"].get<std::string>();
      }
    }
  }
  throw ConfigError(config_path.string() +
                    ": 'chat_template' must be a string or a list holding a template named "
                    "'default'");
}

void append_turn(std::string& rendered, std::string_view role, std::string_view content) {
  rendered.append(kTurnStart)
      .append(role)
      .append("\n")
      .append(content)
      .append(kTurnEnd)
      .append("\n");
}

}  // namespace

ChatFormat ChatFormat::from_tokenizer_config(const std::filesystem::path& config_path) {
  const std::string source = config_path.string();
  Json config;
  try {
    config = Json::parse(read_text_file(config_path));
  } catch (const Json::exception& error) {
    throw ConfigError(source + ": not valid JSON (" + error.what() + ")");
  }
  if (!config.is_object() || !config.contains("eos_token") || config["eos_token"].is_null()) {
    throw ConfigError(source + ": lacks 'eos_token', which ends every Cosmos3 prompt");
  }
  std::string eos_token = token_content(config["eos_token"], source, "eos_token");
  if (config.contains("chat_template") && !config["chat_template"].is_null()) {
    return from_template(template_from_config(config, config_path), std::move(eos_token), source);
  }
  const std::filesystem::path jinja_path = config_path.parent_path() / "chat_template.jinja";
  if (std::filesystem::exists(jinja_path)) {
    return from_template(read_text_file(jinja_path), std::move(eos_token), jinja_path.string());
  }
  throw ConfigError(source +
                    ": has no 'chat_template' and no chat_template.jinja lies beside it; "
                    "Cosmos3 prompts are rendered with the tokenizer's chat template");
}

ChatFormat ChatFormat::from_template(std::string_view chat_template, std::string eos_token,
                                     const std::string& source_name) {
  const bool is_chatml = chat_template.find(kTurnStart) != std::string_view::npos &&
                         chat_template.find(kTurnEnd) != std::string_view::npos;
  if (!is_chatml) {
    throw ConfigError(source_name +
                      ": the chat template is not a ChatML one (no <|im_start|>/<|im_end|> "
                      "turns); only the Qwen-family templates of Cosmos3's text tokenizers are "
                      "implemented");
  }
  const bool adds_default_system = chat_template.find(kQwenDefaultSystem) != std::string_view::npos;
  return ChatFormat(std::move(eos_token),
                    adds_default_system ? std::string(kQwenDefaultSystem) : std::string());
}

std::string ChatFormat::render(std::span<const ChatMessage> messages,
                               bool add_generation_prompt) const {
  std::string rendered;
  const bool opens_with_system = !messages.empty() && messages.front().role == "system";
  if (!default_system_prompt_.empty() && !opens_with_system) {
    append_turn(rendered, "system", default_system_prompt_);
  }
  for (const ChatMessage& message : messages) {
    if (message.role != "system" && message.role != "user") {
      throw std::invalid_argument("ChatFormat renders system and user turns only, got role '" +
                                  message.role + "'");
    }
    append_turn(rendered, message.role, message.content);
  }
  if (add_generation_prompt) {
    rendered.append(kTurnStart).append("assistant\n");
  }
  return rendered;
}

}  // namespace cosmos3::text
