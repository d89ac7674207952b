#pragma once
// A transfer job's fields in the protocol's job object and back (docs/transfer.md):
// "control" maps each hint to its control video, or to null for an edge or blur control the
// worker makes from "control_source" (with "edge_thresholds" "LOW,HIGH" and "blur_sigma");
// "control_guidance", "num_video_frames_per_chunk" and "num_conditional_frames"; optionally
// "guidance_interval" and "control_guidance_interval" ([LOW, HIGH] timesteps) and the seed
// video "video_path" with "num_first_chunk_conditional_frames". Absent settings take the
// engine's defaults, as the worker fills them.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/transfer_values.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace cosmos3::ui {

// No control yet, every setting at the engine's default: the map settings of
// EdgeMapSettings and BlurMapSettings, one conditional frame (cosmos3-generate's default) and the
// first hint's preset for the control guidance and the chunk length.
TransferValues default_transfer_values();

// The settings of the documented preset of `hints` (transfer_preset_for): control guidance and
// chunk length. The job's guidance scale, flow shift, frame count and fps come from the same
// preset; GenerationForm applies those.
void apply_transfer_preset(const std::vector<pipeline::ControlHint>& hints,
                           TransferValues& transfer);

// The job keys only a transfer job has.
const QStringList& transfer_job_keys();

// Adds the transfer fields of `transfer` (which must have a control) to `job` and removes what a
// transfer job refuses (the conditioning keys).
void insert_transfer_keys(const TransferValues& transfer, QJsonObject& job);

// The transfer panel's values of `job`; the panel's defaults when it has no "control". Throws
// RequestError naming a key of the wrong type, an unknown hint, transfer settings without
// "control", or a transfer job on a checkpoint that cannot run one.
TransferValues transfer_values_of(const QJsonObject& job,
                                  const CheckpointCapabilities& capabilities);

}  // namespace cosmos3::ui
