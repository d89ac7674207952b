#pragma once
// The transfer panel's part of the form: which control video steers each hint (a file, or for
// edge and blur one made from a source video), how the made ones are made, and the transfer
// job's own settings, as the protocol's transfer job fields name them (docs/transfer.md). Kept
// free of libtorch so that every ui/ library can include the form's values.

#include "core/pipeline/transfer_hint.h"

#include <QMap>
#include <QSize>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace cosmos3::ui {

enum class ControlOrigin {
  kNone,            // this hint does not steer the job
  kFile,            // a control video the user gives
  kMadeFromSource,  // edge and blur only: made by the worker from the control source
};

// What was read of a video: its frame size and length, or why it cannot be used (unreadable,
// still being read). Both empty before anything was asked.
struct ControlVideoInfo {
  QSize frame_size;
  int num_frames = 0;
  QString problem;

  bool known() const { return frame_size.isValid() && problem.isEmpty(); }
};

struct ControlChoice {
  ControlOrigin origin = ControlOrigin::kNone;
  QString path;           // kFile only
  ControlVideoInfo info;  // of `path` (kFile) or of the control source (kMadeFromSource)
};

inline bool can_be_made(pipeline::ControlHint hint) {
  return hint == pipeline::ControlHint::kEdge || hint == pipeline::ControlHint::kBlur;
}

inline QString hint_key(pipeline::ControlHint hint) {
  return QString::fromStdString(pipeline::control_hint_name(hint));
}

struct TransferValues {
  // Only hints that steer the job are present.
  QMap<pipeline::ControlHint, ControlChoice> controls;
  QString control_source;
  ControlVideoInfo control_source_info;
  // Typed text, as the form's other numbers: a value that is not a number is explained. The
  // engine's defaults come from default_transfer_values() (transfer_job_keys.h).
  QString edge_low_threshold_text;
  QString edge_high_threshold_text;
  QString blur_sigma_text;
  QString control_guidance_text;
  int num_video_frames_per_chunk = 0;
  int num_conditional_frames = 0;
  // [LOW, HIGH] whole timesteps between which each guidance acts; none: every step.
  std::optional<std::pair<int, int>> guidance_interval;
  std::optional<std::pair<int, int>> control_guidance_interval;
  // The optional seed video (the job's video_path) and how many of its first frames start the
  // first chunk.
  QString seed_video;
  ControlVideoInfo seed_video_info;
  int num_first_chunk_conditional_frames = 1;

  bool enabled() const { return !controls.isEmpty(); }

  // The chosen hints in the order their controls enter the sequence.
  std::vector<pipeline::ControlHint> hints() const {
    std::vector<pipeline::ControlHint> chosen;
    for (const pipeline::ControlHint hint : pipeline::control_hints_in_order()) {
      if (controls.contains(hint)) chosen.push_back(hint);
    }
    return chosen;
  }

  bool makes(pipeline::ControlHint hint) const {
    return controls.value(hint).origin == ControlOrigin::kMadeFromSource;
  }
  bool makes_any() const {
    return makes(pipeline::ControlHint::kEdge) || makes(pipeline::ControlHint::kBlur);
  }
};

}  // namespace cosmos3::ui
