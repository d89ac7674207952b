#pragma once
// What the settings dialog asks the layout planner: the model folder, the size the form holds,
// the dtype, and either the chosen GPUs (ranks = GPUs, memory = the smallest free memory) or a
// number of CPU ranks (memory unchecked). Measured step times and peaks of this machine come
// from the studio's measurement file.

#include "parallel/engine/layout_planner.h"
#include "ui/settings/gpu_device.h"
#include "ui/settings/model_folder_summary.h"

#include <QList>
#include <QString>

#include <vector>

namespace cosmos3::ui {

struct LayoutChoiceInputs {
  ModelFolderSummary model;
  int height = 720;
  int width = 1280;
  int num_frames = 189;
  QString dtype = QStringLiteral("bfloat16");
  bool fp8 = false;                         // FP8 jobs: their e4m3 weight copies count too
  QString device = QStringLiteral("cuda");  // "cuda" or "cpu"
  QList<GpuDevice> gpus;                    // the chosen ones, for "cuda"
  int num_cpu_ranks = 1;                    // for "cpu"
  QString measurements_file;                // may not exist yet

  // The device name measurements are stored under: the first chosen GPU's, or "cpu".
  QString deviceName() const;
  parallel::LayoutWorkload workload() const;
};

// Throws UserError (a broken measurement file, a size the folder's rules refuse) naming it.
std::vector<parallel::LayoutOption> plan_layout_choices(const LayoutChoiceInputs& inputs);

}  // namespace cosmos3::ui
