#pragma once
// A failed job told to the user: its class (protocol.h's failure_class), what happened in words
// that name the input or the phase, and one concrete thing to try. Ranks that cannot go on also
// leave it in their log as one marked line, where the supervisor finds it after they exit.

#include "parallel/backend/generate_options.h"
#include "parallel/engine/parallel_layout.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

namespace cosmos3::backend {

struct JobFailure {
  std::string failure_class;
  std::string message;
  std::string suggestion;

  nlohmann::json to_json() const;
};

// What the job was doing when it failed, for the message.
struct FailureContext {
  std::string phase;  // "loading", "denoising", ...
  const app::GenerateOptions* job = nullptr;
  parallel::ParallelDegrees degrees;
  int rank = 0;
};

// Classifies the exception in flight (call from a catch block).
JobFailure classify_current_exception(const FailureContext& context);

// Prints the record (protocol.h's kFailureRecordMarker and the JSON) on stderr, flushed, for the
// supervisor to find in the rank's log after the rank exits.
void log_failure_record(const JobFailure& failure, int rank);

}  // namespace cosmos3::backend
