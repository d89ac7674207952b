#include "ui/studio/group_config_for.h"

#include "parallel/backend/worker_program.h"

#include <QStringList>

namespace cosmos3::ui {

backend::GroupConfig group_config_for(const StudioSettings& settings, const QString& model_dir) {
  backend::GroupConfig config;
  config.worker_program = backend::find_worker_program();
  config.model_dir = model_dir.toStdString();
  config.device = settings.device.toStdString();
  config.dtype = settings.dtype.toStdString();
  config.cfg = settings.cfg;
  config.tp = settings.tp;
  config.cp = settings.cp;
  if (settings.device == QLatin1String("cuda") && !settings.gpu_indexes.isEmpty()) {
    QStringList indexes;
    for (const int index : settings.gpu_indexes) indexes << QString::number(index);
    config.environment.push_back("CUDA_VISIBLE_DEVICES=" +
                                 indexes.join(QLatin1Char(',')).toStdString());
  }
  return config;
}

}  // namespace cosmos3::ui
