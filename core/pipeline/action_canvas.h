#pragma once
// The conditioning clip of an action job as the reference prepares it: frames snapped down to
// multiples of 16, the resolution tier's canvas whose aspect ratio is closest to the input,
// chunk_size + 1 frames (a short clip repeats its last frame, a long one is cut), the content
// downscaled to fit (never upscaled) and padded right and bottom to the canvas. The VAE encodes
// the whole canvas; the latents are then cropped back to the content.
//
// Shape legend: frames_THW3 uint8 RGB; pixels_B3THW float32 in about [-1, 1] (bicubic may
// overshoot, as in the reference); latents_BCTHW.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace cosmos3::pipeline {

// 256, 480, 704, 720.
const std::vector<int64_t>& action_resolution_tiers();

struct ActionCanvas {
  int64_t height = 0;  // the canvas the VAE encodes, one of the tier's bins
  int64_t width = 0;
  int64_t content_height = 0;  // the input's pixels inside it, top left
  int64_t content_width = 0;
};

// Throws RequestError naming the tier or the too-small input. `source_height` and
// `source_width` are the input's size as decoded.
ActionCanvas action_canvas(int64_t source_height, int64_t source_width, int64_t resolution_tier);

// Frames [T, H, W, 3] uint8 -> [1, 3, num_frames, canvas.height, canvas.width].
at::Tensor action_canvas_pixels(const at::Tensor& frames_THW3, const ActionCanvas& canvas,
                                int64_t num_frames);

// The VAE encodes the first frame alone and then whole groups of `temporal_factor` frames,
// dropping a partial last group: the frames it reads of `pixels_B3THW`.
at::Tensor frames_the_vae_reads(const at::Tensor& pixels_B3THW, int64_t temporal_factor);

// Latents of the canvas cut to the latent rows and columns of the content.
at::Tensor crop_latents_to_content(const at::Tensor& latents_BCTHW, const ActionCanvas& canvas,
                                   int64_t spatial_factor);

}  // namespace cosmos3::pipeline
