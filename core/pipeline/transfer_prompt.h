#pragma once
// Transfer's conversations: the prompt (a JSON caption, usually upsampled beforehand) goes in
// verbatim, with no duration or resolution sentences, under transfer's own system prompt, which
// tells the model that control signals steer the result.

#include "core/pipeline/prompt_template.h"

#include <string>

namespace cosmos3::pipeline {

extern const char* const kTransferSystemPrompt;

// The conditional branch's conversation for `prompt`, or the unconditional branch's for the
// negative prompt ("" when none): both get the same system prompt.
Conversation transfer_conversation(const std::string& text, bool use_system_prompt);

}  // namespace cosmos3::pipeline
