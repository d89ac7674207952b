#pragma once
// How transfer cuts a long output into chunks the model generates one after another, as the
// reference does: the output is as long as the first control video (capped by a requested frame
// count); each chunk covers `chunk_frames` = 1 + 4k frames and starts `stride` frames after the
// previous one, so its first frames repeat the previous chunk's last (conditional) frames.
// Controls are padded in time by reflection; chunks are stitched by dropping the repeated frames.
//
// Shape legend: pixels_B3THW float32 in [-1, 1].

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace cosmos3::pipeline {

struct TransferChunkPlan {
  int64_t total_frames = 0;  // frames of the stitched output
  int64_t chunk_frames = 0;  // frames each chunk generates, 1 + 4k
  int64_t num_chunks = 0;
  int64_t stride = 0;  // first frame of chunk i is i * stride
};

// `num_control_frames` is the first control video's length; `num_frames_cap` and
// `frames_per_chunk` are optional (none: the whole output in one chunk). Throws RequestError
// when the conditional frames leave no room for new frames in a chunk.
TransferChunkPlan plan_transfer_chunks(int64_t num_control_frames,
                                       std::optional<int64_t> num_frames_cap,
                                       std::optional<int64_t> frames_per_chunk,
                                       int64_t num_conditional_frames, int64_t temporal_factor);

// Extends `pixels_B3THW` in time to `num_frames` as the reference does: appends the clip played
// backwards (so the last frame shows twice), again while too short, and repeats the last frame
// once a one-frame clip cannot mirror. Longer clips are returned as they are.
at::Tensor pad_frames_in_time(at::Tensor pixels_B3THW, int64_t num_frames);

// Chunk `chunk`'s window of a (padded) control, padded again to a whole chunk.
at::Tensor chunk_control_pixels(const at::Tensor& padded_control_B3THW,
                                const TransferChunkPlan& plan, int64_t chunk);

// The clip whose encode seeds a chunk's target: the seed frames (the input video's head or the
// previous chunk's tail; none for an unseeded chunk, which is all zeros) in front, the last seed
// frame repeated after them up to `chunk_frames`.
at::Tensor seeded_target_pixels(const at::Tensor& seed_B3THW, int64_t chunk_frames, int64_t height,
                                int64_t width);

// The chunks' decoded pixels joined in time: later chunks lose the frames they were seeded with;
// the result is cut to `total_frames`.
at::Tensor stitch_chunks(const std::vector<at::Tensor>& chunks_B3THW,
                         const std::vector<int64_t>& num_seed_frames, int64_t total_frames);

}  // namespace cosmos3::pipeline
