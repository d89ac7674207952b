#pragma once
// Cosmos3 prompts are often long JSON captions; a prompt that starts with '{' is meant as JSON,
// and a broken one is the most common prompt mistake. These check and reformat such prompts
// without reordering their keys (the model reads the text, so order is part of the prompt).

#include <QString>

#include <optional>

namespace cosmos3::ui {

struct JsonPromptError {
  int line = 1;    // 1-based, in the text given
  int column = 1;  // 1-based, in characters
  QString reason;

  // "line 3, column 7: <reason>"
  QString describe() const;
};

bool looks_like_json_prompt(const QString& text);

// None when `text` is not meant as JSON or parses.
std::optional<JsonPromptError> check_json_prompt(const QString& text);

// The JSON indented by two spaces, keys in their original order; none when it does not parse.
std::optional<QString> pretty_printed_json_prompt(const QString& text);

}  // namespace cosmos3::ui
