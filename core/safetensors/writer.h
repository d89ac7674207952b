#pragma once
// Writes tensors to a .safetensors file that the reference library reads back.

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cosmos3::safetensors {

// Writes to a temporary name beside `path`, then renames, so a failed write never leaves a
// partial file under `path`. Tensors may live on any device and have any strides.
// Throws UserError naming the path when it cannot be written.
void write_file(const std::filesystem::path& path,
                const std::vector<std::pair<std::string, at::Tensor>>& named_tensors,
                const std::map<std::string, std::string>& metadata = {});

}  // namespace cosmos3::safetensors
