#include "core/pipeline/conditioning.h"

#include "core/pipeline/generation_request.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_upsample_bilinear2d_aa.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace cosmos3::pipeline {
namespace {

void check_rgb(const at::Tensor& pixels, int64_t expected_dims, const char* what) {
  TORCH_CHECK(
      pixels.dim() == expected_dims && pixels.size(-1) == 3 && pixels.scalar_type() == at::kByte,
      what, " must be uint8 RGB with ", expected_dims, " dims, got ", pixels.sizes());
}

// [N, 3, H, W] float 0..255 -> [N, 3, height, width], antialiased bilinear as the reference's
// F.interpolate(mode="bilinear", antialias=True, align_corners=False).
at::Tensor resize_bilinear(const at::Tensor& pixels_N3HW, int64_t height, int64_t width) {
  if (pixels_N3HW.size(2) == height && pixels_N3HW.size(3) == width) {
    return pixels_N3HW;
  }
  return at::_upsample_bilinear2d_aa(pixels_N3HW, {height, width}, /*align_corners=*/false);
}

}  // namespace

at::Tensor preprocess_conditioning_image(const at::Tensor& image_HW3, int64_t height,
                                         int64_t width) {
  check_rgb(image_HW3, 3, "a conditioning image");
  const at::Tensor image_13HW = image_HW3.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat);
  const auto source_height = static_cast<double>(image_13HW.size(2));
  const auto source_width = static_cast<double>(image_13HW.size(3));
  const double scale = std::max(static_cast<double>(width) / source_width,
                                static_cast<double>(height) / source_height);
  const auto resized_height = static_cast<int64_t>(std::ceil(scale * source_height));
  const auto resized_width = static_cast<int64_t>(std::ceil(scale * source_width));
  const at::Tensor resized = resize_bilinear(image_13HW, resized_height, resized_width);
  // Python's round: halves go to the even neighbour, as nearbyint does by default.
  const auto crop_top =
      static_cast<int64_t>(std::nearbyint(static_cast<double>(resized_height - height) / 2.0));
  const auto crop_left =
      static_cast<int64_t>(std::nearbyint(static_cast<double>(resized_width - width) / 2.0));
  const at::Tensor cropped = resized.narrow(2, crop_top, height).narrow(3, crop_left, width);
  return cropped.round().clamp(0, 255) / 127.5 - 1.0;
}

at::Tensor preprocess_conditioning_video(const at::Tensor& frames_THW3, int64_t height,
                                         int64_t width) {
  check_rgb(frames_THW3, 4, "conditioning video frames");
  // The reference's image processor: x / 255 in float32, then 2x - 1.
  const at::Tensor frames_T3HW = frames_THW3.permute({0, 3, 1, 2}).to(at::kFloat);
  const at::Tensor resized = resize_bilinear(frames_T3HW, height, width).clamp(0, 255);
  const at::Tensor normalized = (resized / 255.0) * 2.0 - 1.0;
  return normalized.permute({1, 0, 2, 3}).unsqueeze(0).contiguous();
}

at::Tensor image_conditioning_pixels(const at::Tensor& image_13HW, int64_t num_frames) {
  return image_13HW.unsqueeze(2).expand({-1, -1, num_frames, -1, -1}).contiguous();
}

at::Tensor video_conditioning_pixels(const at::Tensor& video_13THW, int64_t num_frames,
                                     const std::vector<int64_t>& condition_frame_indexes,
                                     KeptFrames kept, int64_t temporal_factor) {
  const int64_t max_index =
      *std::max_element(condition_frame_indexes.begin(), condition_frame_indexes.end());
  const int64_t num_available = video_13THW.size(2);
  const int64_t num_kept = std::min(max_index * temporal_factor + 1, num_available);
  const at::Tensor kept_frames = kept == KeptFrames::kFirst
                                     ? video_13THW.narrow(2, 0, num_kept)
                                     : video_13THW.narrow(2, num_available - num_kept, num_kept);
  const int64_t num_filled = std::min(num_kept, num_frames);
  at::Tensor clip = kept_frames.narrow(2, 0, num_filled);
  if (num_filled < num_frames) {
    const at::Tensor last = clip.narrow(2, num_filled - 1, 1);
    clip = at::cat({clip, last.expand({-1, -1, num_frames - num_filled, -1, -1})}, 2);
  }
  return clip.contiguous();
}

ConditioningClip conditioning_clip(const at::Tensor& frames_THW3, const ConditioningInput& input,
                                   int64_t height, int64_t width, int64_t num_frames,
                                   int64_t temporal_factor) {
  if (input.is_image) {
    const at::Tensor image = preprocess_conditioning_image(frames_THW3.select(0, 0), height, width);
    return {image_conditioning_pixels(image, num_frames), {0}};
  }
  const at::Tensor video = preprocess_conditioning_video(frames_THW3, height, width);
  return {video_conditioning_pixels(video, num_frames, input.frame_indexes, input.kept,
                                    temporal_factor),
          input.frame_indexes};
}

void check_condition_frame_indexes(const std::vector<int64_t>& condition_frame_indexes,
                                   int64_t num_frames, int64_t temporal_factor) {
  if (condition_frame_indexes.empty()) {
    throw RequestError(
        "--condition-frame-indexes must hold at least one latent frame index, "
        "e.g. 0,1");
  }
  const int64_t num_latent_frames = (num_frames - 1) / temporal_factor + 1;
  for (const int64_t index : condition_frame_indexes) {
    if (index < 0 || index >= num_latent_frames) {
      throw RequestError("--condition-frame-indexes holds " + std::to_string(index) +
                         ", outside the latent timeline: " + std::to_string(num_frames) +
                         " frames have latent frames 0.." + std::to_string(num_latent_frames - 1));
    }
  }
}

at::Tensor condition_mask(int64_t num_latent_frames,
                          const std::vector<int64_t>& condition_frame_indexes) {
  at::Tensor mask_T11 = at::zeros({num_latent_frames, 1, 1});
  for (const int64_t index : condition_frame_indexes) {
    if (index >= 0 && index < num_latent_frames) {
      mask_T11[index] = 1.0;
    }
  }
  return mask_T11;
}

at::Tensor conditioned_initial_latents(const at::Tensor& mask_T11,
                                       const at::Tensor& clean_latents_BCTHW,
                                       const at::Tensor& noise_BCTHW) {
  const at::Tensor mask = mask_T11.to(noise_BCTHW.device(), at::kFloat);
  return mask * clean_latents_BCTHW.to(noise_BCTHW.device(), at::kFloat) +
         (1.0 - mask) * noise_BCTHW;
}

}  // namespace cosmos3::pipeline
