#include "core/pipeline/transfer_control_maps.h"

#include "core/pipeline/generation_request.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/atan2.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/max_pool2d.h>
#include <ATen/ops/pad.h>
#include <ATen/ops/remainder.h>
#include <ATen/ops/round.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/zeros_like.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <vector>

namespace cosmos3::pipeline {
namespace {

// Frames are processed a few at a time so a long 720p clip never needs its whole float copy.
constexpr int64_t kFramesPerBatch = 8;

template <typename Transform>
at::Tensor per_batch(const at::Tensor& frames_THW3, Transform transform) {
  TORCH_CHECK(
      frames_THW3.dim() == 4 && frames_THW3.size(3) == 3 && frames_THW3.scalar_type() == at::kByte,
      "control maps are made from uint8 RGB frames [T, H, W, 3]");
  std::vector<at::Tensor> batches;
  for (int64_t start = 0; start < frames_THW3.size(0); start += kFramesPerBatch) {
    const int64_t count = std::min(kFramesPerBatch, frames_THW3.size(0) - start);
    const at::Tensor frames_T3HW =
        frames_THW3.narrow(0, start, count).permute({0, 3, 1, 2}).to(at::kFloat);
    batches.push_back(
        transform(frames_T3HW).round().clamp(0, 255).to(at::kByte).permute({0, 2, 3, 1}));
  }
  return at::cat(batches, 0).contiguous();
}

// The magnitude's neighbour at offset (dy, dx), edges replicated.
at::Tensor shifted(const at::Tensor& padded_T1HW, int64_t dy, int64_t dx, int64_t height,
                   int64_t width) {
  return padded_T1HW.narrow(2, 1 + dy, height).narrow(3, 1 + dx, width);
}

at::Tensor sobel(const at::Tensor& luma_T1HW, const std::vector<float>& kernel) {
  const at::Tensor weights = at::tensor(kernel, at::kFloat).view({1, 1, 3, 3});
  return at::conv2d(at::pad(luma_T1HW, {1, 1, 1, 1}, "replicate"), weights);
}

at::Tensor edges_of(const at::Tensor& frames_T3HW, const EdgeMapSettings& settings) {
  const int64_t height = frames_T3HW.size(2);
  const int64_t width = frames_T3HW.size(3);
  const at::Tensor luma =
      (frames_T3HW.narrow(1, 0, 1) * 0.299 + frames_T3HW.narrow(1, 1, 1) * 0.587 +
       frames_T3HW.narrow(1, 2, 1) * 0.114);
  const at::Tensor gx = sobel(luma, {-1, 0, 1, -2, 0, 2, -1, 0, 1});
  const at::Tensor gy = sobel(luma, {-1, -2, -1, 0, 0, 0, 1, 2, 1});
  const at::Tensor magnitude = gx.abs() + gy.abs();
  // The gradient's direction in four bins of 45 degrees: 0 horizontal, 1 diagonal, 2 vertical,
  // 3 anti-diagonal; a pixel stays when no neighbour across the edge is stronger.
  const at::Tensor degrees = at::remainder(at::atan2(gy, gx) * (180.0 / std::numbers::pi), 180.0);
  const at::Tensor bin = at::remainder(((degrees + 22.5) / 45.0).floor(), 4.0);
  const at::Tensor padded = at::pad(magnitude, {1, 1, 1, 1}, "replicate");
  const int64_t offsets[4][2] = {{0, 1}, {1, 1}, {1, 0}, {1, -1}};
  at::Tensor is_maximum = at::zeros_like(magnitude, at::kBool);
  for (int64_t direction = 0; direction < 4; ++direction) {
    const int64_t dy = offsets[direction][0];
    const int64_t dx = offsets[direction][1];
    const at::Tensor local = (magnitude > shifted(padded, dy, dx, height, width)) &
                             (magnitude >= shifted(padded, -dy, -dx, height, width));
    is_maximum = is_maximum | (local & (bin == static_cast<double>(direction)));
  }
  const at::Tensor candidate = is_maximum & (magnitude > settings.low_threshold);
  at::Tensor edges = is_maximum & (magnitude > settings.high_threshold);
  // Hysteresis: weak pixels join an edge they touch (8-connected), until nothing changes.
  while (true) {
    const at::Tensor grown =
        at::max_pool2d(edges.to(at::kFloat), {3, 3}, {1, 1}, {1, 1}).to(at::kBool) & candidate;
    if (at::equal(grown, edges)) {
      break;
    }
    edges = grown;
  }
  return (edges.to(at::kFloat) * 255.0).expand({-1, 3, -1, -1});
}

at::Tensor gaussian_kernel(double sigma) {
  const auto radius = static_cast<int64_t>(std::ceil(3.0 * sigma));
  const at::Tensor offsets = at::arange(-radius, radius + 1, at::kFloat);
  const at::Tensor weights = at::exp(-(offsets * offsets) / (2.0 * sigma * sigma));
  return weights / weights.sum();
}

at::Tensor blurred(const at::Tensor& frames_T3HW, double sigma) {
  const at::Tensor kernel = gaussian_kernel(sigma);
  const int64_t radius = (kernel.size(0) - 1) / 2;
  // Reflection needs the pad shorter than the side; replication covers tiny frames.
  const bool can_reflect = radius < frames_T3HW.size(2) && radius < frames_T3HW.size(3);
  const char* mode = can_reflect ? "reflect" : "replicate";
  const at::Tensor rows = kernel.view({1, 1, 1, -1}).expand({3, 1, 1, -1}).contiguous();
  const at::Tensor columns = kernel.view({1, 1, -1, 1}).expand({3, 1, -1, 1}).contiguous();
  // One kernel per colour channel (groups = 3), rows then columns.
  const std::vector<int64_t> unit{1};
  const std::vector<int64_t> no_padding{0};
  const auto convolve = [&](const at::Tensor& input, const at::Tensor& weights) {
    return at::conv2d(input, weights, std::nullopt, unit, no_padding, unit, /*groups=*/3);
  };
  const at::Tensor across_rows = convolve(at::pad(frames_T3HW, {radius, radius, 0, 0}, mode), rows);
  return convolve(at::pad(across_rows, {0, 0, radius, radius}, mode), columns);
}

std::string text_of(double value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

}  // namespace

at::Tensor edge_control_frames(const at::Tensor& frames_THW3, const EdgeMapSettings& settings) {
  if (settings.low_threshold < 0 || settings.high_threshold < settings.low_threshold) {
    throw RequestError("edge thresholds " + text_of(settings.low_threshold) + "," +
                       text_of(settings.high_threshold) +
                       " must be LOW,HIGH with 0 <= LOW <= HIGH (default 100,200)");
  }
  return per_batch(frames_THW3,
                   [&](const at::Tensor& frames_T3HW) { return edges_of(frames_T3HW, settings); });
}

at::Tensor blur_control_frames(const at::Tensor& frames_THW3, const BlurMapSettings& settings) {
  if (!(settings.sigma > 0)) {
    throw RequestError("blur sigma " + text_of(settings.sigma) + " must be above 0 (default 5)");
  }
  return per_batch(frames_THW3, [&](const at::Tensor& frames_T3HW) {
    return blurred(frames_T3HW, settings.sigma);
  });
}

}  // namespace cosmos3::pipeline
