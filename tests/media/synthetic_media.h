#pragma once
// Deterministic test content: smooth gradients with a moving blob (what a codec sees in real
// video), tones, and a PSNR measure.

#include "media/media_types.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace cosmos3::test {

inline media::VideoFrames synthetic_video(int width, int height, int num_frames, double fps) {
  media::VideoFrames video{width, height, fps, {}};
  for (int t = 0; t < num_frames; ++t) {
    std::vector<std::uint8_t> frame(static_cast<std::size_t>(width) * height * 3);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        std::uint8_t* pixel = frame.data() + (static_cast<std::size_t>(y) * width + x) * 3;
        // A soft blob moving right: smooth like real footage, not a 4:2:0 worst case.
        const double dx = x - (t * 3) % width;
        const double dy = y - height / 2.0;
        const double blob = std::exp(-(dx * dx + dy * dy) / (2.0 * (width / 8.0) * (width / 8.0)));
        pixel[0] = static_cast<std::uint8_t>(40 + 170 * x / std::max(1, width - 1));
        pixel[1] = static_cast<std::uint8_t>(40 + 170 * y / std::max(1, height - 1));
        pixel[2] =
            static_cast<std::uint8_t>(60 + 20 * std::sin(0.2 * (x + y + 4 * t)) + 150 * blob);
      }
    }
    video.frames.push_back(std::move(frame));
  }
  return video;
}

inline media::AudioSamples tone(int sample_rate, int num_channels, std::int64_t num_frames) {
  media::AudioSamples audio{sample_rate, num_channels, {}};
  for (std::int64_t i = 0; i < num_frames; ++i) {
    for (int channel = 0; channel < num_channels; ++channel) {
      const double frequency = 440.0 * (1 + 0.5 * channel);
      audio.interleaved.push_back(
          static_cast<float>(0.5 * std::sin(2 * M_PI * frequency * i / sample_rate)));
    }
  }
  return audio;
}

inline double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double squared_error = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double difference = double(a[i]) - double(b[i]);
    squared_error += difference * difference;
  }
  const double mse = squared_error / static_cast<double>(a.size());
  return mse == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace cosmos3::test
