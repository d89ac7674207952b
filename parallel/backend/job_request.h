#pragma once
// A protocol job object (PROTOCOL.md, "submit") as cosmos3-generate's options. Each key is one
// of cosmos3-generate's flags (without the dashes, '-' written '_'), and the conversion goes
// through that command's own parser, so a job and a command line obey one set of rules.

#include "parallel/backend/generate_options.h"
#include "parallel/backend/generation_engine.h"

#include <nlohmann/json.hpp>

namespace cosmos3::backend {

// Throws app::UsageError naming the bad key or value, as the CLI names a bad flag.
app::GenerateOptions job_options(const nlohmann::json& job, const EngineSettings& group);

// The job's live-preview interval in steps (0: none); throws app::UsageError when malformed.
int64_t preview_interval_of(const nlohmann::json& job);

}  // namespace cosmos3::backend
