#pragma once
// The studio's settings (QSettings): the model folder, the group's layout, device and dtype,
// and the live preview interval. The command line overrides them for one run without saving.

#include <QString>

namespace cosmos3::ui {

struct StudioSettings {
  QString model_dir;  // empty: the embedded tiny checkpoint on the CPU
  int cfg = 1;
  int tp = 1;
  int cp = 1;
  QString device = QStringLiteral("cpu");
  QString dtype = QStringLiteral("float32");
  int preview_interval = 5;

  static StudioSettings load();
  void save() const;
};

}  // namespace cosmos3::ui
