#include "parallel/backend/validated_frames.h"

#include <utility>

namespace cosmos3::backend {

void ValidatedFrames::keep(const nlohmann::json& job, JobInputs inputs) {
  std::lock_guard lock(mutex_);
  job_text_ = job.dump();
  inputs_ = std::move(inputs);
}

JobInputs ValidatedFrames::take(const nlohmann::json& job) {
  std::lock_guard lock(mutex_);
  if (job.dump() != job_text_) return {};
  job_text_.clear();
  return std::exchange(inputs_, JobInputs{});
}

}  // namespace cosmos3::backend
