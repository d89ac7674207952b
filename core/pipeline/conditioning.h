#pragma once
// Image-to-video and video-to-video conditioning as the reference prepares it: the conditioning
// pixels (an image repeated over the clip, or the kept frames of a video padded with its last
// frame), which latent frames they fix, and the initial latents (clean latents on conditioned
// frames, noise elsewhere). The VAE encode between pixels and latents is the caller's.
//
// Shape legend: frames_THW3 uint8 RGB; pixels_B3THW float32 in [-1, 1]; latents_BCTHW;
// mask_T11 float32, 1 on conditioned latent frames.

#include "core/errors.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace cosmos3::pipeline {

// One RGB image [H, W, 3] uint8 -> [1, 3, height, width] in [-1, 1]: scaled (antialiased
// bilinear) so it covers the target, centre-cropped, rounded to 8 bits, as the reference does.
at::Tensor preprocess_conditioning_image(const at::Tensor& image_HW3, int64_t height,
                                         int64_t width);

// Video frames [T, H, W, 3] uint8 -> [1, 3, T, height, width] in [-1, 1]. Frames of another size
// are resized to the target (antialiased bilinear; the reference resizes with PIL, so such
// frames agree to a few 8-bit levels, frames of the target size exactly).
at::Tensor preprocess_conditioning_video(const at::Tensor& frames_THW3, int64_t height,
                                         int64_t width);

// The clip the VAE encodes for image-to-video: the image on every one of `num_frames` frames.
at::Tensor image_conditioning_pixels(const at::Tensor& image_13HW, int64_t num_frames);

enum class KeptFrames { kFirst, kLast };

// The clip for video-to-video: the first (or last) frames that cover the conditioned latent
// frames, then the last kept frame repeated up to `num_frames`.
at::Tensor video_conditioning_pixels(const at::Tensor& video_13THW, int64_t num_frames,
                                     const std::vector<int64_t>& condition_frame_indexes,
                                     KeptFrames kept, int64_t temporal_factor);

// What the user gave to condition on: an image (anchored at latent frame 0) or a video whose
// kept frames fix `frame_indexes`.
struct ConditioningInput {
  bool is_image = true;
  std::vector<int64_t> frame_indexes{0, 1};  // video only
  KeptFrames kept = KeptFrames::kFirst;      // video only
};

struct ConditioningClip {
  at::Tensor pixels_B3THW;  // what the VAE encodes
  std::vector<int64_t> frame_indexes;
};

// The preprocessing above applied to decoded user frames [T, H, W, 3] uint8 for a request of
// `num_frames` frames of height x width.
ConditioningClip conditioning_clip(const at::Tensor& frames_THW3, const ConditioningInput& input,
                                   int64_t height, int64_t width, int64_t num_frames,
                                   int64_t temporal_factor);

// Throws RequestError naming the rule when an index is negative, the list is
// empty, or an index lies outside the latent timeline of `num_frames`.
void check_condition_frame_indexes(const std::vector<int64_t>& condition_frame_indexes,
                                   int64_t num_frames, int64_t temporal_factor);

at::Tensor condition_mask(int64_t num_latent_frames,
                          const std::vector<int64_t>& condition_frame_indexes);

// mask * clean + (1 - mask) * noise, in float32.
at::Tensor conditioned_initial_latents(const at::Tensor& mask_T11,
                                       const at::Tensor& clean_latents_BCTHW,
                                       const at::Tensor& noise_BCTHW);

}  // namespace cosmos3::pipeline
