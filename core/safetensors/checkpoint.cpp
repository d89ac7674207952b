#include "core/safetensors/checkpoint.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace cosmos3::safetensors {
namespace {

using Json = nlohmann::json;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_index_file(const std::filesystem::path& path) {
  return ends_with(path.filename().string(), ".safetensors.index.json");
}

Json read_index_json(const std::filesystem::path& index_path) {
  std::ifstream input(index_path);
  if (!input) {
    throw CheckpointError(index_path.string(), "", "cannot open the index");
  }
  Json index = Json::parse(input, nullptr, false);
  if (index.is_discarded() || !index.is_object() || !index.contains("weight_map") ||
      !index["weight_map"].is_object()) {
    throw CheckpointError(index_path.string(), "",
                          "is not a safetensors index: expected a JSON object with 'weight_map'");
  }
  return index;
}

}  // namespace

std::filesystem::path find_checkpoint_in_folder(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> indexes;
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(folder)) {
    if (is_index_file(item.path())) {
      indexes.push_back(item.path());
    } else if (item.path().extension() == ".safetensors") {
      files.push_back(item.path());
    }
  }
  if (indexes.size() == 1) {
    return indexes.front();
  }
  if (indexes.empty() && files.size() == 1) {
    return files.front();
  }
  throw CheckpointError(folder.string(), "",
                        indexes.size() > 1 || files.size() > 1
                            ? "holds several safetensors checkpoints; name the file to use"
                            : "holds no .safetensors file or .safetensors.index.json");
}

Checkpoint::Checkpoint(const std::filesystem::path& path) {
  std::filesystem::path resolved = path;
  if (std::filesystem::is_directory(path)) {
    resolved = find_checkpoint_in_folder(path);
  }
  path_ = resolved.string();
  if (is_index_file(resolved)) {
    open_index(resolved);
    return;
  }
  files_.push_back(std::make_unique<SafetensorsFile>(resolved));
  for (const std::string& name : files_.front()->tensor_names()) {
    file_of_tensor_[name] = files_.front().get();
  }
}

void Checkpoint::open_index(const std::filesystem::path& index_path) {
  const Json index = read_index_json(index_path);
  std::map<std::string, const SafetensorsFile*> file_by_shard_name;
  for (const auto& [tensor_name, shard_json] : index["weight_map"].items()) {
    if (!shard_json.is_string()) {
      throw CheckpointError(path_, tensor_name, "'weight_map' value is not a file name");
    }
    const auto shard_name = shard_json.get<std::string>();
    auto found = file_by_shard_name.find(shard_name);
    if (found == file_by_shard_name.end()) {
      const auto shard_path = index_path.parent_path() / shard_name;
      if (!std::filesystem::exists(shard_path)) {
        throw CheckpointError(path_, tensor_name,
                              "is stored in shard '" + shard_name + "', which is missing from " +
                                  index_path.parent_path().string());
      }
      files_.push_back(std::make_unique<SafetensorsFile>(shard_path));
      found = file_by_shard_name.emplace(shard_name, files_.back().get()).first;
    }
    if (!found->second->contains(tensor_name)) {
      throw CheckpointError(found->second->path(), tensor_name,
                            "is listed in " + path_ + " but missing from this shard");
    }
    file_of_tensor_[tensor_name] = found->second;
  }
}

std::vector<std::string> Checkpoint::tensor_names() const {
  std::vector<std::string> names;
  names.reserve(file_of_tensor_.size());
  for (const auto& name_and_file : file_of_tensor_) {
    names.push_back(name_and_file.first);
  }
  return names;
}

const SafetensorsFile& Checkpoint::file_of(const std::string& name) const {
  const auto found = file_of_tensor_.find(name);
  if (found == file_of_tensor_.end()) {
    throw CheckpointError(path_, name, "is missing from the checkpoint");
  }
  return *found->second;
}

}  // namespace cosmos3::safetensors
