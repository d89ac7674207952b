#pragma once
// The input video a transfer run's first chunk starts from (the reference's `video` with
// `num_first_chunk_conditional_frames`): its first frames are fixed at the start of chunk 0,
// as the previous chunk's tail is for later chunks. The reference silently seeds fewer frames
// than asked from a short video, stretches one of another aspect and lets the seed fill the
// whole chunk; each of those is refused here with the fix.
//
// Shape legend: frames_THW3 uint8 RGB.

#include "core/pipeline/transfer_request.h"

#include <ATen/core/Tensor.h>

#include <string>

namespace cosmos3::pipeline {

// Throws RequestError naming `source`, what is wrong and how to fix it. `chunk_frames` is the
// length of the first chunk (TransferChunkPlan).
void check_seed_video(const at::Tensor& frames_THW3, const std::string& source,
                      const TransferRequest& request, int64_t chunk_frames);

}  // namespace cosmos3::pipeline
