#include "parallel/backend/validated_frames.h"

namespace cosmos3::backend {

void ValidatedFrames::keep(const nlohmann::json& job, std::optional<at::Tensor> frames) {
  std::lock_guard lock(mutex_);
  job_text_ = job.dump();
  frames_ = std::move(frames);
}

std::optional<at::Tensor> ValidatedFrames::take(const nlohmann::json& job) {
  std::lock_guard lock(mutex_);
  if (!frames_ || job.dump() != job_text_) return std::nullopt;
  std::optional<at::Tensor> frames = std::move(frames_);
  frames_.reset();
  job_text_.clear();
  return frames;
}

}  // namespace cosmos3::backend
