#pragma once
// What the settings dialog asks the layout planner: the model folder, the job the form holds,
// the dtype, and either the chosen GPUs (ranks = GPUs, memory = the smallest free memory) or a
// number of CPU ranks (memory unchecked). Measured step times and peaks of this machine come
// from the studio's measurement file.

#include "parallel/engine/layout_planner.h"
#include "ui/settings/gpu_device.h"
#include "ui/settings/model_folder_summary.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <vector>

namespace cosmos3::ui {

// The job the layouts are planned for, as the editor holds it: its size and the passes a step
// runs (what decides whether a third CFG group has work).
struct PlannedJob {
  int height = 720;
  int width = 1280;
  int num_frames = 189;  // a transfer job's: one chunk's, what one denoising holds
  bool guided = true;    // an uncond pass
  // Transfer jobs: each hint a clean control item before the target; control guidance a pass
  // without the controls.
  int num_control_hints = 0;
  bool control_guided = false;

  // From a job object (the backend protocol's keys) or a generation.json, which share them:
  // "control" makes it a transfer job.
  static PlannedJob of(const QJsonObject& job);
  // The transformer passes one denoising step runs (what the CFG groups share).
  int num_passes() const;
  // "1280×720, 189 frames; transfer, 2 controls: 3 passes a step".
  QString describe() const;
};

struct LayoutChoiceInputs {
  ModelFolderSummary model;
  PlannedJob job;
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
