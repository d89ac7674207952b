#pragma once
// MP4 output: H.264 in yuv420p with the index at the front (+faststart) so previews start
// before the file is fully read, an optional AAC track, and a JSON comment tag.

#include "media/media_types.h"

#include <filesystem>
#include <string>

namespace cosmos3::media {

struct VideoWriteReport {
  int encoded_width = 0;
  int encoded_height = 0;
  // yuv420p needs even sizes: an odd width or height is padded by one repeated edge column or
  // row. The comment tag records the true size and read_video crops back to it.
  bool padded = false;
};

// `comment_json` is stored under "generation" in the file's comment tag (empty: none).
// Throws MediaError naming the path; a failed write leaves no file under `path`.
VideoWriteReport write_mp4(const std::filesystem::path& path, const VideoFrames& video,
                           const AudioSamples* audio, const std::string& comment_json);

}  // namespace cosmos3::media
