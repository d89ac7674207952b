#pragma once
// Frames and samples as the media module exchanges them with the pipeline: plain buffers, so
// this module needs neither libtorch nor Qt.

#include <cstdint>
#include <vector>

namespace cosmos3::media {

// RGB24 frames, row-major, 3 bytes a pixel, all of one size.
struct VideoFrames {
  int width = 0;
  int height = 0;
  double fps = 0;
  std::vector<std::vector<std::uint8_t>> frames;

  int num_frames() const { return static_cast<int>(frames.size()); }
};

// Float samples in [-1, 1], channels interleaved.
struct AudioSamples {
  int sample_rate = 0;
  int num_channels = 0;
  std::vector<float> interleaved;

  std::int64_t num_frames() const {
    return num_channels > 0 ? static_cast<std::int64_t>(interleaved.size()) / num_channels : 0;
  }
};

}  // namespace cosmos3::media
