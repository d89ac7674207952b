#pragma once
// The studio's settings (QSettings): the model folder, the group's layout, device and dtype,
// the GPUs it runs on, the output folder, the live preview interval, the jobs' precision and the
// queue shortcuts.
// The command line overrides them for one run without saving.

#include <QList>
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
  // The jobs' precision as chosen, "bf16" or "fp8"; a job setting, not the group's.
  QString precision = QStringLiteral("bf16");
  // The GPUs the group runs on (CUDA indexes; empty: the first cfg x tp x cp), and the name of
  // the first, under which layout measurements are stored.
  QList<int> gpu_indexes;
  QString gpu_name;
  QString output_dir;  // empty: each job's outputs stay in its job folder
  // The Hugging Face token for gated models; empty: HF_TOKEN or the Hugging Face CLI's file.
  QString hub_token;
  // QKeySequence portable text; ComfyUI's, which many users know.
  QString queue_shortcut = QStringLiteral("Ctrl+Return");
  QString queue_front_shortcut = QStringLiteral("Ctrl+Shift+Return");
  QString cancel_shortcut = QStringLiteral("Ctrl+Alt+Return");

  // What a running group depends on: a change restarts it.
  bool needsBackendRestart(const StudioSettings& other) const;
  // The precision jobs are sent with: fp8 only when chosen and the group runs on CUDA in
  // bfloat16 (elsewhere the worker would refuse every job), else bf16.
  QString jobPrecision() const;

  static StudioSettings load();
  void save() const;
};

}  // namespace cosmos3::ui
