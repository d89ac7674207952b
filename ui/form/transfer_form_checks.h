#pragma once
// The transfer panel's checks, with the engine's own rules: check_transfer_request for the
// job's numbers, the edge and blur map settings as edge_control_frames and blur_control_frames
// check them, then, once every control video has been read, check_control_frames (each control
// alone, so its message sits beside its field, then all of them together) and
// plan_transfer_chunks for the chunk settings against the output's length; the guidance
// intervals with check_intervals_act and the seed video with check_seed_video.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_values.h"

#include <QMap>
#include <QString>

namespace cosmos3::ui {

struct TransferProblems {
  QMap<pipeline::ControlHint, QString> controls;  // beside each hint's field
  QString control_source;                         // beside the source video
  QString guidance_interval;                      // beside each interval's field
  QString control_guidance_interval;
  QString seed_video;  // beside the seed video: unreadable, too short, another aspect
  QString settings;    // a rule of the job as a whole (guidance, chunks, sizes across controls)

  bool empty() const {
    return controls.isEmpty() && control_source.isEmpty() && settings.isEmpty() &&
           guidance_interval.isEmpty() && control_guidance_interval.isEmpty() &&
           seed_video.isEmpty();
  }
  // The first problem, for the form's summary.
  QString first() const;
};

// Empty for a job without control videos.
TransferProblems check_transfer_values(const FormValues& values,
                                       const CheckpointCapabilities& capabilities);

}  // namespace cosmos3::ui
