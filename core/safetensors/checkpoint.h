#pragma once
// A checkpoint stored as one .safetensors file or as shards listed by a
// `*.safetensors.index.json` (the layout diffusers and transformers write for large models).

#include "core/safetensors/safetensors_file.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cosmos3::safetensors {

class Checkpoint {
 public:
  // `path` is a .safetensors file, a .safetensors.index.json, or a folder holding exactly one
  // of either. Every shard is mapped and its header validated; an index entry whose shard
  // lacks the tensor is an error. Throws CheckpointError naming the file and the problem.
  explicit Checkpoint(const std::filesystem::path& path);

  // The file the checkpoint was opened from (the index or the single file).
  const std::string& path() const { return path_; }
  std::vector<std::string> tensor_names() const;
  bool contains(const std::string& name) const { return file_of_tensor_.count(name) != 0; }
  // The shard holding `name`. Throws CheckpointError naming the checkpoint when absent.
  const SafetensorsFile& file_of(const std::string& name) const;

  const TensorEntry& entry(const std::string& name) const { return file_of(name).entry(name); }
  at::Tensor load(const std::string& name) const { return file_of(name).load(name); }
  at::Tensor load_slice(const std::string& name, int64_t dim, int64_t start, int64_t length) const {
    return file_of(name).load_slice(name, dim, start, length);
  }

 private:
  void open_index(const std::filesystem::path& index_path);

  std::string path_;
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, const SafetensorsFile*> file_of_tensor_;
};

// The .safetensors file or index a folder holds; throws CheckpointError when it holds none or
// several candidates.
std::filesystem::path find_checkpoint_in_folder(const std::filesystem::path& folder);

}  // namespace cosmos3::safetensors
