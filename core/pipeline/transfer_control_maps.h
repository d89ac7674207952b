#pragma once
// Edge and blur control videos made from an ordinary video, so a transfer run needs no
// precomputed maps for these two hints (the reference expects them precomputed). Edges follow
// Canny's recipe on the luma: Sobel gradients (L1 magnitude), thinning to the local maxima
// along the gradient, and hysteresis between two thresholds; blur is a Gaussian of the frames.
//
// Shape legend: frames_THW3 uint8 RGB.

#include <ATen/core/Tensor.h>

namespace cosmos3::pipeline {

struct EdgeMapSettings {
  // On the L1 Sobel magnitude of 8-bit luma, as cv2.Canny's thresholds: pixels above `high`
  // start an edge, pixels above `low` continue one.
  double low_threshold = 100;
  double high_threshold = 200;
};

struct BlurMapSettings {
  double sigma = 5;  // Gaussian standard deviation in pixels
};

// White one-pixel edges on black, as RGB frames of the input's size. Throws RequestError when
// the thresholds are negative or out of order.
at::Tensor edge_control_frames(const at::Tensor& frames_THW3, const EdgeMapSettings& settings);

// The frames blurred, edges mirrored. Throws RequestError when sigma is not above 0.
at::Tensor blur_control_frames(const at::Tensor& frames_THW3, const BlurMapSettings& settings);

}  // namespace cosmos3::pipeline
