#include "core/safetensors/writer.h"

#include "core/errors.h"
#include "core/safetensors/header.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>

#include <unistd.h>

namespace cosmos3::safetensors {
namespace {

// Wider elements first keeps every tensor aligned to its element size, because the data
// section has no gaps between tensors.
std::vector<std::pair<std::string, at::Tensor>> in_layout_order(
    const std::vector<std::pair<std::string, at::Tensor>>& named_tensors) {
  std::set<std::string> seen;
  std::vector<std::pair<std::string, at::Tensor>> ordered;
  for (const auto& [name, tensor] : named_tensors) {
    if (!seen.insert(name).second) {
      throw std::invalid_argument("tensor name '" + name + "' given twice");
    }
    ordered.emplace_back(name, tensor.detach().to(at::kCPU).contiguous());
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& left, const auto& right) {
    const auto left_size = left.second.element_size();
    const auto right_size = right.second.element_size();
    return left_size != right_size ? left_size > right_size : left.first < right.first;
  });
  return ordered;
}

std::vector<std::pair<std::string, TensorEntry>> layout_entries(
    const std::vector<std::pair<std::string, at::Tensor>>& ordered) {
  std::vector<std::pair<std::string, TensorEntry>> entries;
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : ordered) {
    const auto num_bytes = static_cast<std::uint64_t>(tensor.nbytes());
    entries.emplace_back(
        name, TensorEntry{tensor.scalar_type(), tensor.sizes().vec(), offset, offset + num_bytes});
    offset += num_bytes;
  }
  return entries;
}

}  // namespace

void write_file(const std::filesystem::path& path,
                const std::vector<std::pair<std::string, at::Tensor>>& named_tensors,
                const std::map<std::string, std::string>& metadata) {
  const auto ordered = in_layout_order(named_tensors);
  const std::string header = serialize_header(layout_entries(ordered), metadata);

  std::filesystem::path temporary_path = path;
  temporary_path += ".partial-" + std::to_string(::getpid());
  {
    std::ofstream output(temporary_path, std::ios::binary | std::ios::trunc);
    output.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const auto& name_and_tensor : ordered) {
      const at::Tensor& tensor = name_and_tensor.second;
      output.write(static_cast<const char*>(tensor.const_data_ptr()),
                   static_cast<std::streamsize>(tensor.nbytes()));
    }
    output.flush();
    if (!output) {
      std::error_code ignored;
      std::filesystem::remove(temporary_path, ignored);
      throw UserError("cannot write " + path.string() +
                      ": check that its folder exists, is writable and has free space");
    }
  }
  std::error_code rename_error;
  std::filesystem::rename(temporary_path, path, rename_error);
  if (rename_error) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path, ignored);
    throw UserError("cannot write " + path.string() + ": " + rename_error.message());
  }
}

}  // namespace cosmos3::safetensors
