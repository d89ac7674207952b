#pragma once
// The action job's part of restore by drop: an action job's generation.json records the frames
// and canvas the chunk and tier produced (num_frames, height, width), which the job object must
// not carry, and its actions file under "actions_path" with the digest of its content. The
// restored job names the file as the protocol's "actions" only while the file still holds what
// the job used.

#include <nlohmann/json.hpp>

#include <string>

namespace cosmos3::ui {

// Turns the sealed action metadata in `job` (metadata keys, already checked against the seal)
// into job keys. Throws UserError naming `source` and the actions file when that file is gone or
// was changed since the job ran. Leaves a job without "action_mode" as it is.
void restore_action_keys(nlohmann::json& job, const std::string& source);

}  // namespace cosmos3::ui
