#include "core/pipeline/transfer_request.h"

#include "core/pipeline/generation_request.h"

#include <sstream>

namespace cosmos3::pipeline {
namespace {

std::string text_of(double value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

void require(bool holds, const std::string& message) {
  if (!holds) {
    throw RequestError(message);
  }
}

void check_interval(const GuidanceInterval& interval, const char* name) {
  if (interval) {
    require(interval->first <= interval->second,
            std::string(name) + " [" + text_of(interval->first) + ", " + text_of(interval->second) +
                "] is empty: give the lower timestep first");
  }
}

}  // namespace

void check_transfer_request(const TransferRequest& request, const PipelineFolder& folder) {
  require(!request.prompt.empty(), "the prompt is empty: give the JSON caption to generate");
  const int64_t spatial = folder.vae_spatial_factor;
  require(request.height > 0 && request.height % spatial == 0,
          "height " + std::to_string(request.height) + " must be a positive multiple of " +
              std::to_string(spatial));
  require(request.width > 0 && request.width % spatial == 0,
          "width " + std::to_string(request.width) + " must be a positive multiple of " +
              std::to_string(spatial));
  require(!request.num_frames || *request.num_frames >= 1,
          "num_frames " + std::to_string(request.num_frames.value_or(0)) + " must be at least 1");
  require(!request.frames_per_chunk || *request.frames_per_chunk >= 1,
          "num_video_frames_per_chunk " + std::to_string(request.frames_per_chunk.value_or(0)) +
              " must be at least 1");
  require(request.num_conditional_frames >= 0, "num_conditional_frames " +
                                                   std::to_string(request.num_conditional_frames) +
                                                   " must not be negative");
  require(request.num_first_chunk_conditional_frames >= 0,
          "num_first_chunk_conditional_frames " +
              std::to_string(request.num_first_chunk_conditional_frames) + " must not be negative");
  require(request.fps > 0, "fps " + text_of(request.fps) + " must be above 0");
  require(request.num_steps >= 1,
          "steps " + std::to_string(request.num_steps) + " must be at least 1");
  require(request.guidance.guidance_scale >= 0, "guidance_scale " +
                                                    text_of(request.guidance.guidance_scale) +
                                                    " must not be negative (1 = off)");
  require(request.guidance.control_guidance >= 0, "control_guidance " +
                                                      text_of(request.guidance.control_guidance) +
                                                      " must not be negative (1 = off)");
  require(!request.flow_shift || *request.flow_shift > 0,
          "flow_shift " + text_of(request.flow_shift.value_or(0)) + " must be above 0");
  check_interval(request.guidance.guidance_interval, "guidance_interval");
  check_interval(request.guidance.control_guidance_interval, "control_guidance_interval");
}

}  // namespace cosmos3::pipeline
