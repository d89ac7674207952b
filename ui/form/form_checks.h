#pragma once
// Every problem with the form's values, each under the field that causes it. The rules are the
// engine's: each field is put into a request that is otherwise known to be valid and handed to
// resolve_request (or check_condition_frame_indexes), so the RequestError that comes back is
// about that field alone and its text is exactly what the worker would say.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_field.h"
#include "ui/form/form_values.h"

#include <QMap>
#include <QString>

namespace cosmos3::ui {

// Empty when the values make valid jobs.
QMap<FormField, QString> check_form_values(const FormValues& values,
                                           const CheckpointCapabilities& capabilities);

}  // namespace cosmos3::ui
