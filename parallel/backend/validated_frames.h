#pragma once
// Rank 0 decodes a job's conditioning image or video when it validates the submitted job (on the
// client link's thread), and the rank loop runs that job moments later: the group takes one job
// at a time. Keeping the decoded frames from the check to the run spares decoding the same file
// twice, which for an action job's clip or a video-to-video input is most of the job's start.

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <optional>
#include <string>

namespace cosmos3::backend {

class ValidatedFrames {
 public:
  // Holds `frames` for `job` (the job as validated), replacing what was held: a job validated
  // but then refused (busy) is never run, so its frames need not outlive the next validation.
  void keep(const nlohmann::json& job, std::optional<at::Tensor> frames);
  // The frames held for exactly `job`, handed over once; empty for any other job.
  std::optional<at::Tensor> take(const nlohmann::json& job);

 private:
  std::mutex mutex_;
  std::string job_text_;
  std::optional<at::Tensor> frames_;
};

}  // namespace cosmos3::backend
