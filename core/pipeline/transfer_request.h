#pragma once
// What a user asks one transfer run for, and its validation, done before any weight is read so
// a bad request costs nothing.

#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/transfer_denoise_loop.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cosmos3::pipeline {

struct TransferRequest {
  std::string prompt;  // a JSON caption, tokenized as it is
  std::optional<std::string> negative_prompt;
  int64_t height = 720;
  int64_t width = 1280;
  std::optional<int64_t> num_frames;        // cap on the output; none: the first control's length
  std::optional<int64_t> frames_per_chunk;  // none: the whole output in one chunk
  int64_t num_conditional_frames = 1;       // frames each later chunk repeats from the previous
  int64_t num_first_chunk_conditional_frames = 0;  // frames of an input video seeding chunk 0
  double fps = 24.0;
  int64_t num_steps = 35;
  TransferGuidance guidance;
  std::optional<double> flow_shift;  // none: the scheduler config's
  uint64_t seed = 0;
  bool use_system_prompt = true;
};

// Throws RequestError naming the first broken rule and the value given.
void check_transfer_request(const TransferRequest& request, const PipelineFolder& folder);

}  // namespace cosmos3::pipeline
