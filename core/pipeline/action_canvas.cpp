#include "core/pipeline/action_canvas.h"

#include "core/pipeline/generation_request.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_upsample_bicubic2d_aa.h>
#include <ATen/ops/_upsample_bilinear2d_aa.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/reflection_pad2d.h>
#include <ATen/ops/replication_pad2d.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace cosmos3::pipeline {
namespace {

// The VAE's spatial compression; the reference snaps inputs to it before anything else.
constexpr int64_t kSnap = 16;

struct Bin {
  int64_t height;
  int64_t width;
};

// Per tier, in the reference's order: a tie in closeness goes to the first.
const std::vector<Bin>& bins_of(int64_t tier) {
  static const std::vector<Bin> bins_256{
      {256, 256}, {256, 320}, {320, 256}, {192, 320}, {320, 192}};
  static const std::vector<Bin> bins_480{
      {640, 640}, {544, 736}, {736, 544}, {480, 832}, {832, 480}};
  static const std::vector<Bin> bins_704{
      {960, 960}, {832, 1088}, {1088, 832}, {704, 1280}, {1280, 704}};
  static const std::vector<Bin> bins_720{
      {960, 960}, {832, 1104}, {1104, 832}, {720, 1280}, {1280, 720}};
  switch (tier) {
    case 256:
      return bins_256;
    case 480:
      return bins_480;
    case 704:
      return bins_704;
    case 720:
      return bins_720;
    default:
      throw RequestError("--resolution-tier must be 256, 480, 704 or 720, got " +
                         std::to_string(tier));
  }
}

int64_t snapped(int64_t size) { return size - size % kSnap; }

// Python's int(x + 0.5) for the non-negative sizes here.
int64_t rounded_size(double scale, int64_t size) {
  return std::max<int64_t>(1, static_cast<int64_t>(scale * static_cast<double>(size) + 0.5));
}

// [T, H, W, 3] uint8 -> [T, 3, H', W'] in [-1, 1] at the snapped size. The reference resizes
// PIL frames with PIL's bilinear filter (antialiased when shrinking) and rounds to 8 bits;
// already snapped frames pass unchanged.
at::Tensor snapped_frames(const at::Tensor& frames_THW3) {
  TORCH_CHECK(
      frames_THW3.dim() == 4 && frames_THW3.size(3) == 3 && frames_THW3.scalar_type() == at::kByte,
      "action frames must be uint8 [T, H, W, 3], got ", frames_THW3.sizes());
  at::Tensor frames_T3HW = frames_THW3.permute({0, 3, 1, 2}).to(at::kFloat);
  const int64_t height = snapped(frames_T3HW.size(2));
  const int64_t width = snapped(frames_T3HW.size(3));
  if (height != frames_T3HW.size(2) || width != frames_T3HW.size(3)) {
    frames_T3HW =
        at::_upsample_bilinear2d_aa(frames_T3HW, {height, width}, false).round().clamp(0, 255);
  }
  return (frames_T3HW / 255.0) * 2.0 - 1.0;
}

at::Tensor with_frame_count(const at::Tensor& frames_T3HW, int64_t num_frames) {
  const int64_t available = frames_T3HW.size(0);
  if (available >= num_frames) {
    return frames_T3HW.narrow(0, 0, num_frames);
  }
  const at::Tensor last = frames_T3HW.narrow(0, available - 1, 1);
  return at::cat({frames_T3HW, last.expand({num_frames - available, -1, -1, -1})}, 0);
}

}  // namespace

const std::vector<int64_t>& action_resolution_tiers() {
  static const std::vector<int64_t> tiers{256, 480, 704, 720};
  return tiers;
}

ActionCanvas action_canvas(int64_t source_height, int64_t source_width, int64_t resolution_tier) {
  const std::vector<Bin>& bins = bins_of(resolution_tier);
  const int64_t height = snapped(source_height);
  const int64_t width = snapped(source_width);
  if (height < kSnap || width < kSnap) {
    throw RequestError("the action input is " + std::to_string(source_height) + "x" +
                       std::to_string(source_width) + " pixels; it must be at least " +
                       std::to_string(kSnap) + "x" + std::to_string(kSnap));
  }
  const double aspect = static_cast<double>(height) / static_cast<double>(width);
  const Bin* closest = &bins.front();
  for (const Bin& bin : bins) {
    const double ratio = static_cast<double>(bin.height) / static_cast<double>(bin.width);
    const double best = static_cast<double>(closest->height) / static_cast<double>(closest->width);
    if (std::abs(ratio - aspect) < std::abs(best - aspect)) {
      closest = &bin;
    }
  }
  const double scale =
      std::min({static_cast<double>(closest->width) / static_cast<double>(width),
                static_cast<double>(closest->height) / static_cast<double>(height), 1.0});
  return ActionCanvas{closest->height, closest->width, rounded_size(scale, height),
                      rounded_size(scale, width)};
}

at::Tensor action_canvas_pixels(const at::Tensor& frames_THW3, const ActionCanvas& canvas,
                                int64_t num_frames) {
  at::Tensor frames_T3HW = with_frame_count(snapped_frames(frames_THW3), num_frames);
  if (frames_T3HW.size(2) != canvas.content_height || frames_T3HW.size(3) != canvas.content_width) {
    frames_T3HW = at::_upsample_bicubic2d_aa(frames_T3HW.contiguous(),
                                             {canvas.content_height, canvas.content_width}, false);
  }
  const int64_t pad_right = canvas.width - canvas.content_width;
  const int64_t pad_bottom = canvas.height - canvas.content_height;
  if (pad_right > 0 || pad_bottom > 0) {
    // Reflection needs a pad shorter than the content; the reference replicates otherwise.
    const bool replicate = pad_right >= canvas.content_width || pad_bottom >= canvas.content_height;
    frames_T3HW = replicate ? at::replication_pad2d(frames_T3HW, {0, pad_right, 0, pad_bottom})
                            : at::reflection_pad2d(frames_T3HW, {0, pad_right, 0, pad_bottom});
  }
  return frames_T3HW.permute({1, 0, 2, 3}).unsqueeze(0).contiguous();
}

at::Tensor frames_the_vae_reads(const at::Tensor& pixels_B3THW, int64_t temporal_factor) {
  const int64_t num_frames = pixels_B3THW.size(2);
  return pixels_B3THW.narrow(2, 0, 1 + (num_frames - 1) / temporal_factor * temporal_factor);
}

at::Tensor crop_latents_to_content(const at::Tensor& latents_BCTHW, const ActionCanvas& canvas,
                                   int64_t spatial_factor) {
  const int64_t rows = std::max<int64_t>(canvas.content_height / spatial_factor, 1);
  const int64_t columns = std::max<int64_t>(canvas.content_width / spatial_factor, 1);
  return latents_BCTHW.narrow(3, 0, rows).narrow(4, 0, columns).contiguous();
}

}  // namespace cosmos3::pipeline
