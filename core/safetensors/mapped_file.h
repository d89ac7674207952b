#pragma once
// A read-only memory map of a whole file. Pages are read on first touch, so a caller that
// reads one slice of a tensor brings only that slice's pages into memory.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace cosmos3::safetensors {

class MappedFile {
 public:
  // Throws CheckpointError naming the file when it cannot be opened or mapped.
  static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  const std::string& path() const noexcept { return path_; }

 private:
  MappedFile(std::string path, const std::byte* data, std::size_t size);

  std::string path_;
  const std::byte* data_;
  std::size_t size_;
};

}  // namespace cosmos3::safetensors
