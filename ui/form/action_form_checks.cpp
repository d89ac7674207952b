#include "ui/form/action_form_checks.h"

#include "core/pipeline/action_request.h"
#include "ui/form/form_parsing.h"

#include <QCoreApplication>

namespace cosmos3::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("GenerationForm", text); }

// Before the input is read: a square larger than every tier's bins, so plan_action checks the
// checkpoint's rules without a question about the input's size.
constexpr int64_t kProbeSourceSize = 1280;

pipeline::ActionRequest engine_action_of(const FormValues& values) {
  const ActionValues& action = values.action;
  pipeline::ActionRequest request;
  request.mode = pipeline::parse_action_mode(action_mode_key(action.mode).toStdString());
  request.domain = action.domain.toStdString();
  request.chunk_size = action.chunk_size;
  request.resolution_tier = action.resolution_tier;
  request.view_point = action.view_point.toStdString();
  request.input = values.mode == GenerationMode::kVideoToVideo ? pipeline::ActionInput::kVideo
                                                               : pipeline::ActionInput::kImage;
  request.has_actions =
      action.mode == ActionModeChoice::kForwardDynamics && !action.actions_path.isEmpty();
  return request;
}

}  // namespace

QMap<FormField, QString> check_action_values(const FormValues& values,
                                             const CheckpointCapabilities& capabilities,
                                             bool other_fields_pass) {
  QMap<FormField, QString> problems;
  const ActionValues& action = values.action;
  if (!action.enabled()) return problems;
  if (!needs_media(values.mode)) {
    problems.insert(FormField::kAction,
                    tr("an action job starts from an image or a video: choose 'Image to video' "
                       "or 'Video to video' and give the input"));
    return problems;
  }
  const pipeline::ActionRequest request = engine_action_of(values);
  try {
    pipeline::check_action_request(request);
  } catch (const pipeline::RequestError& error) {
    const bool about_actions_file =
        action.mode == ActionModeChoice::kForwardDynamics && action.actions_path.isEmpty();
    problems.insert(about_actions_file ? FormField::kActionsFile : FormField::kAction,
                    QString::fromUtf8(error.what()));
    return problems;
  }
  if (action.mode == ActionModeChoice::kForwardDynamics && !action.actions_problem.isEmpty()) {
    problems.insert(FormField::kActionsFile, action.actions_problem);
    return problems;
  }
  if (!other_fields_pass) return problems;
  const QStringList prompts = prompts_of(values);
  // The input's own size once it is read, so a too-small input is named here too.
  const bool sized = values.media_size.isValid();
  try {
    pipeline::plan_action(engine_request_of(values, prompts.value(0), capabilities), request,
                          capabilities.folder(), capabilities.transformer_config(),
                          sized ? values.media_size.height() : kProbeSourceSize,
                          sized ? values.media_size.width() : kProbeSourceSize);
  } catch (const pipeline::RequestError& error) {
    problems.insert(FormField::kAction, QString::fromUtf8(error.what()));
  }
  return problems;
}

}  // namespace cosmos3::ui
