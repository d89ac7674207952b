#pragma once
// Single images (a text-to-image result, a preview still) as JPEG or PNG, by extension.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace cosmos3::media {

// `rgb` is width x height RGB24. Throws MediaError naming the path for an unknown extension
// or a failed write; a failed write leaves no file under `path`.
void write_image(const std::filesystem::path& path, const std::vector<std::uint8_t>& rgb, int width,
                 int height);

}  // namespace cosmos3::media
