#include "ui/studio/studio_settings.h"

#include <QSettings>
#include <QVariantList>

namespace cosmos3::ui {

StudioSettings StudioSettings::load() {
  QSettings settings;
  StudioSettings loaded;
  loaded.model_dir = settings.value(QStringLiteral("model/dir"), loaded.model_dir).toString();
  loaded.hub_token = settings.value(QStringLiteral("model/hub_token")).toString();
  loaded.cfg = settings.value(QStringLiteral("layout/cfg"), loaded.cfg).toInt();
  loaded.tp = settings.value(QStringLiteral("layout/tp"), loaded.tp).toInt();
  loaded.cp = settings.value(QStringLiteral("layout/cp"), loaded.cp).toInt();
  loaded.device = settings.value(QStringLiteral("backend/device"), loaded.device).toString();
  loaded.dtype = settings.value(QStringLiteral("backend/dtype"), loaded.dtype).toString();
  loaded.preview_interval =
      settings.value(QStringLiteral("preview/interval"), loaded.preview_interval).toInt();
  loaded.precision =
      settings.value(QStringLiteral("generation/precision"), loaded.precision).toString();
  for (const QVariant& index : settings.value(QStringLiteral("backend/gpu_indexes")).toList()) {
    loaded.gpu_indexes.append(index.toInt());
  }
  loaded.gpu_name = settings.value(QStringLiteral("backend/gpu_name")).toString();
  loaded.output_dir = settings.value(QStringLiteral("output/dir")).toString();
  loaded.queue_shortcut =
      settings.value(QStringLiteral("shortcuts/queue"), loaded.queue_shortcut).toString();
  loaded.queue_front_shortcut =
      settings.value(QStringLiteral("shortcuts/queue_front"), loaded.queue_front_shortcut)
          .toString();
  loaded.cancel_shortcut =
      settings.value(QStringLiteral("shortcuts/cancel"), loaded.cancel_shortcut).toString();
  return loaded;
}

void StudioSettings::save() const {
  QSettings settings;
  settings.setValue(QStringLiteral("model/dir"), model_dir);
  settings.setValue(QStringLiteral("model/hub_token"), hub_token);
  settings.setValue(QStringLiteral("layout/cfg"), cfg);
  settings.setValue(QStringLiteral("layout/tp"), tp);
  settings.setValue(QStringLiteral("layout/cp"), cp);
  settings.setValue(QStringLiteral("backend/device"), device);
  settings.setValue(QStringLiteral("backend/dtype"), dtype);
  settings.setValue(QStringLiteral("preview/interval"), preview_interval);
  settings.setValue(QStringLiteral("generation/precision"), precision);
  QVariantList indexes;
  for (const int index : gpu_indexes) indexes.append(index);
  settings.setValue(QStringLiteral("backend/gpu_indexes"), indexes);
  settings.setValue(QStringLiteral("backend/gpu_name"), gpu_name);
  settings.setValue(QStringLiteral("output/dir"), output_dir);
  settings.setValue(QStringLiteral("shortcuts/queue"), queue_shortcut);
  settings.setValue(QStringLiteral("shortcuts/queue_front"), queue_front_shortcut);
  settings.setValue(QStringLiteral("shortcuts/cancel"), cancel_shortcut);
}

bool StudioSettings::needsBackendRestart(const StudioSettings& other) const {
  return model_dir != other.model_dir || cfg != other.cfg || tp != other.tp || cp != other.cp ||
         device != other.device || dtype != other.dtype || gpu_indexes != other.gpu_indexes;
}

QString StudioSettings::jobPrecision() const {
  const bool fp8_runs = device == QLatin1String("cuda") && dtype == QLatin1String("bfloat16");
  return precision == QLatin1String("fp8") && fp8_runs ? QStringLiteral("fp8")
                                                       : QStringLiteral("bf16");
}

}  // namespace cosmos3::ui
