#include "ui/player/decoded_media.h"

#include "core/errors.h"
#include "media/media_reader.h"
#include "ui/player/soundtrack_file.h"

#include <QFileInfo>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

namespace cosmos3::ui {
namespace {

std::filesystem::path to_filesystem_path(const QString& path) {
  return std::filesystem::path(path.toStdU16String());
}

// The most frames of `frame` size that both limits allow.
int allowed_num_frames(const media::VideoFrames& first_frame, const MediaDecodeLimits& limits) {
  const std::int64_t frame_bytes =
      std::max<std::int64_t>(1, std::int64_t{first_frame.width} * first_frame.height * 3);
  return static_cast<int>(
      std::min<std::int64_t>(limits.max_frames, limits.max_decoded_bytes / frame_bytes));
}

std::string too_long_message(const QString& path, int num_allowed, const media::VideoFrames& probe,
                             const MediaDecodeLimits& limits) {
  const QString file_name = QFileInfo(path).fileName();
  return QStringLiteral(
             "%1 has more than %2 frames at %3x%4; the player holds at most %5 frames and "
             "%6 MB of decoded video. Open a shorter clip, or play %1 in an external player.")
      .arg(file_name)
      .arg(num_allowed)
      .arg(probe.width)
      .arg(probe.height)
      .arg(limits.max_frames)
      .arg(limits.max_decoded_bytes >> 20)
      .toStdString();
}

// Moves each frame into a QImage and frees its RGB24 buffer at once, so converting needs one
// extra frame of memory, not a second copy of the video.
QList<QImage> to_images(media::VideoFrames& video) {
  QList<QImage> images;
  images.reserve(video.num_frames());
  const int row_bytes = video.width * 3;
  for (auto& frame : video.frames) {
    QImage image(video.width, video.height, QImage::Format_RGB888);
    for (int y = 0; y < video.height; ++y) {
      std::memcpy(image.scanLine(y), frame.data() + static_cast<std::size_t>(y) * row_bytes,
                  static_cast<std::size_t>(row_bytes));
    }
    images.append(std::move(image));
    std::vector<std::uint8_t>().swap(frame);
  }
  return images;
}

}  // namespace

DecodedMedia decode_media(const QString& path, const MediaDecodeLimits& limits) {
  const std::filesystem::path file = to_filesystem_path(path);
  if (limits.first_frame_only) {
    media::VideoFrames still = media::read_video(file, 1);
    return {path, to_images(still), still.fps, QSize(still.width, still.height), QString()};
  }
  // The media module cannot count frames without decoding them, so the first frame gives the
  // size and the budget; reading one frame past the cap tells a too-long file apart.
  const media::VideoFrames probe = media::read_video(file, 1);
  const int num_allowed = allowed_num_frames(probe, limits);
  if (num_allowed < 1) {
    throw MediaError(too_long_message(path, 0, probe, limits));
  }
  media::VideoFrames video = media::read_video(file, num_allowed + 1);
  if (video.num_frames() > num_allowed) {
    throw MediaError(too_long_message(path, num_allowed, probe, limits));
  }
  DecodedMedia decoded;
  decoded.path = path;
  decoded.fps = video.fps;
  decoded.size = QSize(video.width, video.height);
  decoded.frames = to_images(video);
  decoded.soundtrack_path = soundtrack_file(path);
  return decoded;
}

}  // namespace cosmos3::ui
