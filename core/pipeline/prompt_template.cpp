#include "core/pipeline/prompt_template.h"

#include <cstdio>

namespace cosmos3::pipeline {
namespace {

constexpr const char* kImageSystemPrompt =
    "You are a helpful assistant who will generate images from a give prompt.";
constexpr const char* kVideoSystemPrompt =
    "You are a helpful assistant who will generate videos from a give prompt.";

// printf's %.Nf rounds the binary value correctly, as Python's format does.
std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

// Drops the base's trailing full stops, then joins with ". ".
std::string append_sentence(std::string base, const std::string& sentence) {
  while (!base.empty() && base.back() == '.') {
    base.pop_back();
  }
  return base.empty() ? sentence : base + ". " + sentence;
}

std::string with_templates(std::string text, const PromptOptions& options, bool negated) {
  const bool is_image = options.num_frames == 1;
  const std::string is = negated ? "is not" : "is";
  if (!is_image && options.add_duration_template) {
    const std::string of = negated ? "is not of " : "is of ";
    text = append_sentence(std::move(text),
                           "The video " + is + " " + fixed(options.num_frames / options.fps, 1) +
                               " seconds long and " + of + fixed(options.fps, 0) + " FPS.");
  }
  if (options.add_resolution_template) {
    text = append_sentence(std::move(text), std::string(is_image ? "This image " : "This video ") +
                                                is + " of " + std::to_string(options.height) + "x" +
                                                std::to_string(options.width) + " resolution.");
  }
  return text;
}

Conversation conversation(std::string user_text, const PromptOptions& options) {
  Conversation result{std::nullopt, std::move(user_text)};
  if (options.use_system_prompt) {
    result.system = options.num_frames == 1 ? kImageSystemPrompt : kVideoSystemPrompt;
  }
  return result;
}

}  // namespace

Conversation conditional_conversation(const std::string& prompt, const PromptOptions& options) {
  return conversation(with_templates(prompt, options, false), options);
}

Conversation unconditional_conversation(const std::string& negative_prompt,
                                        const PromptOptions& options) {
  return conversation(with_templates(negative_prompt, options, true), options);
}

}  // namespace cosmos3::pipeline
