#pragma once
// What streams a media file holds, as its container declares them: kind, codec and duration.
// For checking outputs (an MP4 with sound holds one H.264 and one AAC stream) and for players
// that need to know whether a file has sound before decoding it.

#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::media {

struct StreamInfo {
  std::string kind;             // "video", "audio", or FFmpeg's name of another media type
  std::string codec;            // FFmpeg's codec name: "h264", "aac", ...
  double duration_seconds = 0;  // 0 when the container does not say
  int sample_rate = 0;          // audio only
  int num_channels = 0;         // audio only
};

// Throws MediaError naming the file when it cannot be read.
std::vector<StreamInfo> probe_streams(const std::filesystem::path& path);

}  // namespace cosmos3::media
