#pragma once
// The conversation the Cosmos3 pipeline builds from a user prompt before tokenization: an
// optional system prompt (image or video), and the prompt with duration and resolution
// sentences appended (their negations for the negative prompt).

#include <optional>
#include <string>

namespace cosmos3::pipeline {

struct PromptOptions {
  int num_frames = 189;
  int height = 720;
  int width = 1280;
  double fps = 24.0;
  bool use_system_prompt = true;
  bool add_resolution_template = true;
  bool add_duration_template = true;
};

struct Conversation {
  std::optional<std::string> system;
  std::string user;

  bool operator==(const Conversation&) const = default;
};

// The conditional branch's conversation for `prompt`.
Conversation conditional_conversation(const std::string& prompt, const PromptOptions& options);
// The unconditional branch's: the negative prompt ("" when none) with inverse sentences.
Conversation unconditional_conversation(const std::string& negative_prompt,
                                        const PromptOptions& options);

}  // namespace cosmos3::pipeline
