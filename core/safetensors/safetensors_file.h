#pragma once
// One memory-mapped .safetensors file: its tensors by name, whole or as a slice along one
// dimension, reading only the bytes asked for.

#include "core/safetensors/header.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cosmos3::safetensors {

class MappedFile;

class SafetensorsFile {
 public:
  // Maps the file and validates its whole header against the file size.
  // Throws CheckpointError naming the file and the problem.
  explicit SafetensorsFile(const std::filesystem::path& path);

  const std::string& path() const;
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }
  std::vector<std::string> tensor_names() const;
  bool contains(const std::string& name) const { return header_.tensors.count(name) != 0; }
  // Throws CheckpointError when the file has no such tensor.
  const TensorEntry& entry(const std::string& name) const;

  // A CPU tensor owning a copy of the stored values, in the stored dtype.
  at::Tensor load(const std::string& name) const;

  // Elements [start, start + length) along `dim`, copied without touching the other bytes
  // (tensor parallelism reads only its shard). Throws CheckpointError when out of range.
  at::Tensor load_slice(const std::string& name, int64_t dim, int64_t start, int64_t length) const;

 private:
  std::shared_ptr<const MappedFile> file_;
  Header header_;
};

}  // namespace cosmos3::safetensors
