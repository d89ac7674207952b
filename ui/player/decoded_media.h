#pragma once
// A media file decoded for the player: every frame as a QImage the UI thread can paint. Decoding
// is slow and big (a 720p 189-frame video is ~520 MB), so it runs on a worker thread and refuses
// files that would not fit the memory budget before holding them whole.

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <cstdint>

namespace cosmos3::ui {

struct MediaDecodeLimits {
  // A 720p job is 189 frames; 2,000 leaves room for long inputs without unbounded memory.
  int max_frames = 2000;
  // What the decoded frames of one file may take as RGB24: 4 GiB is ~1,550 frames at 720p.
  std::int64_t max_decoded_bytes = std::int64_t{4} << 30;
  // A still (a live preview) needs its first frame only; a longer file is then not refused.
  bool first_frame_only = false;
};

struct DecodedMedia {
  QString path;
  // RGB888 images of one size; an image file is a one-frame video.
  QList<QImage> frames;
  double fps = 0;
  QSize size;
  // Where its sound can be heard (soundtrack_file); empty when it has none, and for stills.
  QString soundtrack_path;

  int num_frames() const { return static_cast<int>(frames.size()); }
};

// Decodes `path` with the media module (safe on any thread). Throws MediaError naming the file
// when it cannot be decoded or holds more frames than `limits` allow.
DecodedMedia decode_media(const QString& path, const MediaDecodeLimits& limits);

}  // namespace cosmos3::ui
