#include "ui/form/action_prompt.h"

#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_caption.h"
#include "core/pipeline/generation_request.h"
#include "ui/form/form_parsing.h"

namespace cosmos3::ui {

std::optional<ActionPrompt> action_prompt_of(const FormValues& values, const QString& prompt) {
  if (!values.media_size.isValid()) return std::nullopt;
  const ActionValues& action = values.action;
  try {
    const pipeline::ActionCanvas canvas = pipeline::action_canvas(
        values.media_size.height(), values.media_size.width(), action.resolution_tier);
    const int num_frames = action.chunk_size + 1;
    const double fps = parse_decimal(values.fps_text).value_or(pipeline::GenerationRequest{}.fps);
    pipeline::PromptOptions options;
    options.num_frames = num_frames;
    options.height = static_cast<int>(canvas.height);
    options.width = static_cast<int>(canvas.width);
    options.fps = fps;
    options.use_system_prompt = values.use_system_prompt;
    options.add_resolution_template = false;
    options.add_duration_template = false;
    const std::string caption =
        pipeline::action_caption(prompt.toStdString(), action.view_point.toStdString(), num_frames,
                                 fps, options.height, options.width);
    // generate_action reads the negative prompt through the same conversation as the caption.
    return ActionPrompt{
        pipeline::conditional_conversation(caption, options),
        pipeline::conditional_conversation(values.negative_prompt.toStdString(), options)};
  } catch (const pipeline::RequestError&) {
    return std::nullopt;
  }
}

}  // namespace cosmos3::ui
