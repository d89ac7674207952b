#include "core/safetensors/safetensors_file.h"

#include "core/errors.h"
#include "core/safetensors/mapped_file.h"

#include <ATen/ops/empty.h>

#include <cstring>

namespace cosmos3::safetensors {

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : file_(MappedFile::open(path)),
      header_(parse_header(file_->data(), file_->size(), file_->path())) {}

const std::string& SafetensorsFile::path() const { return file_->path(); }

std::vector<std::string> SafetensorsFile::tensor_names() const {
  std::vector<std::string> names;
  names.reserve(header_.tensors.size());
  for (const auto& name_and_entry : header_.tensors) {
    names.push_back(name_and_entry.first);
  }
  return names;
}

const TensorEntry& SafetensorsFile::entry(const std::string& name) const {
  const auto found = header_.tensors.find(name);
  if (found == header_.tensors.end()) {
    throw CheckpointError(path(), name, "is not in this file");
  }
  return found->second;
}

at::Tensor SafetensorsFile::load(const std::string& name) const {
  const TensorEntry& tensor_entry = entry(name);
  at::Tensor tensor = at::empty(tensor_entry.shape, at::TensorOptions().dtype(tensor_entry.dtype));
  const std::byte* source = file_->data() + header_.data_section_offset + tensor_entry.data_begin;
  std::memcpy(tensor.data_ptr(), source, tensor_entry.data_end - tensor_entry.data_begin);
  return tensor;
}

at::Tensor SafetensorsFile::load_slice(const std::string& name, int64_t dim, int64_t start,
                                       int64_t length) const {
  const TensorEntry& tensor_entry = entry(name);
  const auto rank = static_cast<int64_t>(tensor_entry.shape.size());
  if (dim < 0 || dim >= rank || start < 0 || length < 0 ||
      start + length > tensor_entry.shape[dim]) {
    throw CheckpointError(path(), name,
                          "slice [" + std::to_string(start) + ", " +
                              std::to_string(start + length) + ") along dimension " +
                              std::to_string(dim) + " is outside the stored shape");
  }
  std::vector<int64_t> slice_shape = tensor_entry.shape;
  slice_shape[dim] = length;
  at::Tensor slice = at::empty(slice_shape, at::TensorOptions().dtype(tensor_entry.dtype));

  // A contiguous tensor sliced along `dim` is `num_blocks` runs of `run_bytes` each, one run
  // per index of the dimensions before `dim`.
  int64_t num_blocks = 1;
  for (int64_t d = 0; d < dim; ++d) {
    num_blocks *= tensor_entry.shape[d];
  }
  int64_t inner_bytes = static_cast<int64_t>(c10::elementSize(tensor_entry.dtype));
  for (int64_t d = dim + 1; d < rank; ++d) {
    inner_bytes *= tensor_entry.shape[d];
  }
  const int64_t run_bytes = length * inner_bytes;
  const int64_t stored_block_bytes = tensor_entry.shape[dim] * inner_bytes;
  const std::byte* source =
      file_->data() + header_.data_section_offset + tensor_entry.data_begin + start * inner_bytes;
  auto* destination = static_cast<std::byte*>(slice.data_ptr());
  for (int64_t block = 0; block < num_blocks; ++block) {
    std::memcpy(destination + block * run_bytes, source + block * stored_block_bytes,
                static_cast<std::size_t>(run_bytes));
  }
  return slice;
}

}  // namespace cosmos3::safetensors
