#pragma once
// The backend group a set of studio settings asks for: model, device, dtype, layout, and the
// chosen GPUs (CUDA_VISIBLE_DEVICES for every rank, so rank r takes the r-th chosen GPU).

#include "parallel/backend/backend_group.h"
#include "ui/studio/studio_settings.h"

#include <QString>

namespace cosmos3::ui {

// Throws UserError when the worker program cannot be found.
backend::GroupConfig group_config_for(const StudioSettings& settings, const QString& model_dir);

}  // namespace cosmos3::ui
