#pragma once
// The action panel's checks, with the engine's own rules: check_action_request for the mode and
// its input, the chunk, the tier, the view point and the domain; forward dynamics' actions file
// as read_action_file found it; then plan_action against this checkpoint's transformer config
// (action heads, action_dim, embodiment domains, no distilled schedule).

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_field.h"
#include "ui/form/form_values.h"

#include <QMap>
#include <QString>

namespace cosmos3::ui {

// Empty for a job without an action mode. `other_fields_pass`: the form's other fields have no
// problem, so plan_action's shared checks (prompt, steps, guidance) can only be about actions.
QMap<FormField, QString> check_action_values(const FormValues& values,
                                             const CheckpointCapabilities& capabilities,
                                             bool other_fields_pass);

}  // namespace cosmos3::ui
