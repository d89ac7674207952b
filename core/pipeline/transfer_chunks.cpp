#include "core/pipeline/transfer_chunks.h"

#include "core/pipeline/generation_request.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/flip.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <string>

namespace cosmos3::pipeline {

TransferChunkPlan plan_transfer_chunks(int64_t num_control_frames,
                                       std::optional<int64_t> num_frames_cap,
                                       std::optional<int64_t> frames_per_chunk,
                                       int64_t num_conditional_frames, int64_t temporal_factor) {
  TransferChunkPlan plan;
  plan.total_frames = num_control_frames;
  if (num_frames_cap) {
    plan.total_frames = std::min(plan.total_frames, *num_frames_cap);
  }
  plan.total_frames = std::max<int64_t>(1, plan.total_frames);
  const int64_t per_chunk =
      plan.total_frames == 1 ? 1 : frames_per_chunk.value_or(plan.total_frames);
  // Rounded up to 1 + 4k frames, the lengths the VAE encodes.
  plan.chunk_frames = (per_chunk - 1 + temporal_factor - 1) / temporal_factor * temporal_factor + 1;
  if (plan.total_frames <= plan.chunk_frames) {
    plan.num_chunks = 1;
    plan.stride = plan.chunk_frames;
    return plan;
  }
  plan.stride = plan.chunk_frames - num_conditional_frames;
  if (plan.stride <= 0) {
    throw RequestError("num_conditional_frames (" + std::to_string(num_conditional_frames) +
                       ") must be smaller than the chunk length (" +
                       std::to_string(plan.chunk_frames) +
                       " frames); lower it or raise num_video_frames_per_chunk");
  }
  const int64_t remaining = plan.total_frames - plan.chunk_frames;
  plan.num_chunks = 1 + (remaining + plan.stride - 1) / plan.stride;
  return plan;
}

at::Tensor pad_frames_in_time(at::Tensor pixels_B3THW, int64_t num_frames) {
  while (pixels_B3THW.size(2) < num_frames) {
    const int64_t available = pixels_B3THW.size(2);
    const int64_t num_mirrored = std::min(available - 1, num_frames - available);
    if (num_mirrored <= 0) {
      const at::Tensor last = pixels_B3THW.narrow(2, available - 1, 1);
      return at::cat({pixels_B3THW, last.expand({-1, -1, num_frames - available, -1, -1})}, 2);
    }
    pixels_B3THW = at::cat({pixels_B3THW, pixels_B3THW.flip({2}).narrow(2, 0, num_mirrored)}, 2);
  }
  return pixels_B3THW;
}

at::Tensor chunk_control_pixels(const at::Tensor& padded_control_B3THW,
                                const TransferChunkPlan& plan, int64_t chunk) {
  const int64_t start = chunk * plan.stride;
  const int64_t end = std::min(start + plan.chunk_frames, plan.total_frames);
  return pad_frames_in_time(padded_control_B3THW.narrow(2, start, end - start), plan.chunk_frames);
}

at::Tensor seeded_target_pixels(const at::Tensor& seed_B3THW, int64_t chunk_frames, int64_t height,
                                int64_t width) {
  at::Tensor target = at::zeros({1, 3, chunk_frames, height, width}, at::kFloat);
  if (!seed_B3THW.defined() || seed_B3THW.size(2) == 0) {
    return target;
  }
  const int64_t num_seed = std::min(seed_B3THW.size(2), chunk_frames);
  target.narrow(2, 0, num_seed).copy_(seed_B3THW.narrow(2, 0, num_seed));
  if (num_seed < chunk_frames) {
    target.narrow(2, num_seed, chunk_frames - num_seed)
        .copy_(target.narrow(2, num_seed - 1, 1).expand({-1, -1, chunk_frames - num_seed, -1, -1}));
  }
  return target;
}

at::Tensor stitch_chunks(const std::vector<at::Tensor>& chunks_B3THW,
                         const std::vector<int64_t>& num_seed_frames, int64_t total_frames) {
  std::vector<at::Tensor> parts;
  for (std::size_t chunk = 0; chunk < chunks_B3THW.size(); ++chunk) {
    const at::Tensor& pixels = chunks_B3THW[chunk];
    const int64_t skipped = chunk == 0 ? 0 : num_seed_frames[chunk];
    parts.push_back(pixels.narrow(2, skipped, pixels.size(2) - skipped));
  }
  const at::Tensor joined = at::cat(parts, 2);
  return joined.narrow(2, 0, std::min(total_frames, joined.size(2)));
}

}  // namespace cosmos3::pipeline
