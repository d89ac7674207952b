#pragma once
// What the worker will make of a source video for an edge or blur control, shown on its first
// frame: the engine's own edge_control_frames and blur_control_frames applied to that frame, so
// the preview of a made control is the map itself, not the video it is made from.

#include "core/pipeline/transfer_hint.h"

#include <QImage>
#include <QString>

namespace cosmos3::ui {

struct ControlMapSettings {
  pipeline::ControlHint hint = pipeline::ControlHint::kEdge;  // edge or blur
  double edge_low_threshold = 0;
  double edge_high_threshold = 0;
  double blur_sigma = 0;
};

// The map of `frame`; the error's text in `problem` (and a null image) when the engine refuses
// the settings. Runs the engine's map code: call it off the UI thread.
QImage made_control_map(const QImage& frame, const ControlMapSettings& settings, QString* problem);

}  // namespace cosmos3::ui
