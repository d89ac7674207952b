#pragma once
// Rank 0 decodes a job's conditioning image or video (a transfer job's control and input videos)
// when it validates the submitted job (on the client link's thread), and the rank loop runs
// that job moments later: the group takes one job at a time. Keeping the decoded inputs from the
// check to the run spares decoding the same files twice, which for an action job's clip, a
// video-to-video input or a transfer job's controls is most of the job's start.

#include "parallel/backend/job_inputs.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>

namespace cosmos3::backend {

class ValidatedFrames {
 public:
  // Holds `inputs` for `job` (the job as validated), replacing what was held: a job validated
  // but then refused (busy) is never run, so its inputs need not outlive the next validation.
  void keep(const nlohmann::json& job, JobInputs inputs);
  // The inputs held for exactly `job`, handed over once; empty for any other job.
  JobInputs take(const nlohmann::json& job);

 private:
  std::mutex mutex_;
  std::string job_text_;
  JobInputs inputs_;
};

}  // namespace cosmos3::backend
