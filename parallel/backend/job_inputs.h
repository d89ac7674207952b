#pragma once
// A job's input files as decoded when the job is checked, before any weight is read
// (cosmos3-generate before it loads the model, the worker when a job is submitted), handed on
// to the job's run so that no file is decoded twice.
//
// Shape legend: frames_THW3 uint8 RGB.

#include "parallel/backend/transfer_job.h"

#include <ATen/core/Tensor.h>

#include <optional>

namespace cosmos3::backend {

struct JobInputs {
  // The image or clip an image/video-to-video or action job is conditioned on.
  std::optional<at::Tensor> conditioning_frames_THW3;
  // A transfer job's control videos and input video.
  std::optional<TransferVideos> transfer_videos;
};

}  // namespace cosmos3::backend
