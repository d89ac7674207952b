#pragma once
// Generated sound as WAV through libsndfile (32-bit float, so nothing is lost).

#include "media/media_types.h"

#include <filesystem>

namespace cosmos3::media {

// Throws MediaError naming the path; a failed write leaves no file under `path`.
void write_wav(const std::filesystem::path& path, const AudioSamples& audio);
// Any format libsndfile reads, as float samples. Throws MediaError naming the path.
AudioSamples read_wav(const std::filesystem::path& path);

}  // namespace cosmos3::media
