#pragma once
// The transfer job's part of restore by drop: a transfer job's generation.json records each
// control as its file, or for an edge or blur control made by the worker as the source video
// and the map settings, with every file's digest under "control_digests". The restored job has
// the protocol's transfer fields ("control", "control_source", "edge_thresholds",
// "blur_sigma"; the intervals and the seed video "video_path" pass as they are) only while every
// file, the seed video included (its digest is "control_digests"'s "video"), still holds what the
// job used.

#include <nlohmann/json.hpp>

#include <string>

namespace cosmos3::ui {

// Turns the sealed transfer metadata in `job` (metadata keys, already checked against the seal)
// into job keys. Throws UserError naming `source` and the control's file when that file is gone
// or was changed since the job ran. Leaves a job without "control" as it is.
void restore_transfer_keys(nlohmann::json& job, const std::string& source);

}  // namespace cosmos3::ui
