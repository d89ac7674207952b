#include "core/pipeline/transfer_seed_video.h"

#include "core/pipeline/generation_request.h"
#include "core/pipeline/transfer_controls.h"

namespace cosmos3::pipeline {

void check_seed_video(const at::Tensor& frames_THW3, const std::string& source,
                      const TransferRequest& request, int64_t chunk_frames) {
  TORCH_CHECK(frames_THW3.dim() == 4 && frames_THW3.size(3) == 3, "seed frames are [T, H, W, 3]");
  const std::string label = "the input video (" + source + ")";
  const int64_t num_seeded = request.num_first_chunk_conditional_frames;
  const int64_t available = frames_THW3.size(0);
  if (available < num_seeded) {
    throw RequestError(label + " has " + std::to_string(available) + " frames, fewer than the " +
                       std::to_string(num_seeded) +
                       " --num-first-chunk-conditional-frames asks for: give a longer video or "
                       "ask for at most " +
                       std::to_string(available));
  }
  if (num_seeded >= chunk_frames) {
    throw RequestError("--num-first-chunk-conditional-frames " + std::to_string(num_seeded) +
                       " fills the whole first chunk (" + std::to_string(chunk_frames) +
                       " frames), leaving nothing to generate in it: give fewer, or raise "
                       "--num-video-frames-per-chunk");
  }
  check_output_aspect(label, frames_THW3.size(1), frames_THW3.size(2), request);
}

}  // namespace cosmos3::pipeline
