#include "core/pipeline/transfer_prompt.h"

namespace cosmos3::pipeline {

const char* const kTransferSystemPrompt =
    "You are a helpful assistant that generates images or videos following the user's "
    "instructions and control signals (edge maps, blur, depth, or segmentation).";

Conversation transfer_conversation(const std::string& text, bool use_system_prompt) {
  Conversation conversation{std::nullopt, text};
  if (use_system_prompt) {
    conversation.system = kTransferSystemPrompt;
  }
  return conversation;
}

}  // namespace cosmos3::pipeline
