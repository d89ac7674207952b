#pragma once
// What the model reads for an action job: not the prompt itself but the JSON caption the engine
// builds from it (action_caption: framing from the view point, the task timed over the clip,
// duration, fps, canvas resolution), without the flat templates, as generate_action tokenizes it.

#include "core/pipeline/prompt_template.h"
#include "ui/form/form_values.h"

#include <optional>

namespace cosmos3::ui {

struct ActionPrompt {
  pipeline::Conversation conditional;
  pipeline::Conversation unconditional;
};

// None until the input's size is known (the canvas, and so the caption, depends on it) or when
// the engine refuses the tier or the input's size (the form's checks say why).
std::optional<ActionPrompt> action_prompt_of(const FormValues& values, const QString& prompt);

}  // namespace cosmos3::ui
