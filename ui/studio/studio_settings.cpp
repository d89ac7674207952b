#include "ui/studio/studio_settings.h"

#include <QSettings>

namespace cosmos3::ui {

StudioSettings StudioSettings::load() {
  QSettings settings;
  StudioSettings loaded;
  loaded.model_dir = settings.value(QStringLiteral("model/dir"), loaded.model_dir).toString();
  loaded.cfg = settings.value(QStringLiteral("layout/cfg"), loaded.cfg).toInt();
  loaded.tp = settings.value(QStringLiteral("layout/tp"), loaded.tp).toInt();
  loaded.cp = settings.value(QStringLiteral("layout/cp"), loaded.cp).toInt();
  loaded.device = settings.value(QStringLiteral("backend/device"), loaded.device).toString();
  loaded.dtype = settings.value(QStringLiteral("backend/dtype"), loaded.dtype).toString();
  loaded.preview_interval =
      settings.value(QStringLiteral("preview/interval"), loaded.preview_interval).toInt();
  return loaded;
}

void StudioSettings::save() const {
  QSettings settings;
  settings.setValue(QStringLiteral("model/dir"), model_dir);
  settings.setValue(QStringLiteral("layout/cfg"), cfg);
  settings.setValue(QStringLiteral("layout/tp"), tp);
  settings.setValue(QStringLiteral("layout/cp"), cp);
  settings.setValue(QStringLiteral("backend/device"), device);
  settings.setValue(QStringLiteral("backend/dtype"), dtype);
  settings.setValue(QStringLiteral("preview/interval"), preview_interval);
}

}  // namespace cosmos3::ui
