#pragma once
// What a job generates from what: the mode follows the inputs (one frame = an image, an image
// input = image to video, a video input = video to video), as the engine decides it.

#include <QString>

namespace cosmos3::ui {

enum class GenerationMode { kTextToImage, kTextToVideo, kImageToVideo, kVideoToVideo };

inline QString display_name(GenerationMode mode) {
  switch (mode) {
    case GenerationMode::kTextToImage:
      return QStringLiteral("Text to image");
    case GenerationMode::kTextToVideo:
      return QStringLiteral("Text to video");
    case GenerationMode::kImageToVideo:
      return QStringLiteral("Image to video");
    case GenerationMode::kVideoToVideo:
      return QStringLiteral("Video to video");
  }
  return {};
}

inline bool makes_video(GenerationMode mode) { return mode != GenerationMode::kTextToImage; }

inline bool needs_media(GenerationMode mode) {
  return mode == GenerationMode::kImageToVideo || mode == GenerationMode::kVideoToVideo;
}

}  // namespace cosmos3::ui
