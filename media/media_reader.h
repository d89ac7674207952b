#pragma once
// Decoding user files into frames and samples: images (JPEG, PNG, ...) and videos in any
// container and codec this FFmpeg offers, converted to RGB24 with the source's colour range.

#include "media/media_types.h"

#include <filesystem>
#include <string>

namespace cosmos3::media {

// All frames (at most `max_frames` when positive) with the stream's frame rate; an image is a
// one-frame video. A file written by write_mp4 with a padded odd size is cropped back.
// Throws MediaError naming the file: unreadable, no video stream, truncated, undecodable.
VideoFrames read_video(const std::filesystem::path& path, int max_frames = 0);

// The first audio stream as interleaved float samples. Throws MediaError when there is none.
AudioSamples read_audio(const std::filesystem::path& path);

// The container's comment tag ("" when absent). Throws MediaError when unreadable.
std::string read_comment(const std::filesystem::path& path);

}  // namespace cosmos3::media
