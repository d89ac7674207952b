#pragma once
// Parsing and validation of a safetensors header: an 8-byte little-endian length, then that
// many bytes of JSON describing each tensor's dtype, shape and byte range in the data section.

#include <c10/core/ScalarType.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cosmos3::safetensors {

struct TensorEntry {
  c10::ScalarType dtype;
  std::vector<int64_t> shape;
  // Byte range in the data section, which starts right after the header.
  std::uint64_t data_begin = 0;
  std::uint64_t data_end = 0;

  int64_t numel() const;
};

struct Header {
  std::size_t data_section_offset = 0;
  std::map<std::string, TensorEntry> tensors;
  std::map<std::string, std::string> metadata;
};

// Throws CheckpointError naming file_name, the tensor and the problem when the header is
// malformed or disagrees with the file size (a truncated file).
// "[2, 3]": shapes as error messages and listings print them.
std::string shape_text(const std::vector<int64_t>& shape);

Header parse_header(const std::byte* file_data, std::size_t file_size,
                    const std::string& file_name);

// The serialized header (length prefix, JSON, space padding to 8 bytes) for tensors laid out
// back to back in the given order.
std::string serialize_header(const std::vector<std::pair<std::string, TensorEntry>>& tensors,
                             const std::map<std::string, std::string>& metadata);

}  // namespace cosmos3::safetensors
