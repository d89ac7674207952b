#pragma once
// Everything the generation form holds, as plain values: what the widgets show and what the job
// objects are made from. Numbers typed as text stay text so a value that is not a number can be
// explained next to its field instead of being silently clamped.

#include "ui/form/action_values.h"
#include "ui/form/generation_mode.h"
#include "ui/form/transfer_values.h"

#include <QSize>
#include <QString>

namespace cosmos3::ui {

enum class SeedMode {
  kFixed,      // every queue uses the seed field (successive seeds within a batch)
  kRandom,     // a fresh seed drawn for every job
  kIncrement,  // as fixed, then the seed field moves past the seeds just queued
};

struct FormValues {
  GenerationMode mode = GenerationMode::kTextToVideo;
  QString prompt;
  QString negative_prompt;
  // Each non-blank line of the prompt is a job of its own.
  bool one_job_per_line = false;

  int num_steps = 35;
  QString guidance_scale_text = QStringLiteral("6");
  QString flow_shift_text;
  QString fps_text = QStringLiteral("24");
  int height = 720;
  int width = 1280;
  int num_frames = 189;
  bool use_system_prompt = true;
  // A soundtrack with the video; only checkpoints that offer sound show the switch, and the
  // video modes use it.
  bool sound = false;

  SeedMode seed_mode = SeedMode::kFixed;
  QString seed_text = QStringLiteral("0");
  int num_jobs_per_prompt = 1;  // the batch count

  // Image to video / video to video input; `media_problem` is why it cannot be used (unreadable,
  // still being read), empty when it can.
  QString media_path;
  QString media_problem;
  QSize media_size;  // the input's frame size once read
  QString condition_frame_indexes_text = QStringLiteral("0,1");
  bool keep_last_frames = false;

  // An action job when its mode is not none: its frames and size then come from the chunk and
  // the tier, so num_frames, height and width are not sent.
  ActionValues action;

  // A transfer job when a hint has a control: it generates a text-to-video job's output steered
  // by the controls, and num_frames caps its length.
  TransferValues transfer;
};

}  // namespace cosmos3::ui
