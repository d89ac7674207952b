#include "core/hub/pipeline_file_selection.h"

#include "core/hub/hub_errors.h"

#include <algorithm>
#include <array>
#include <regex>
#include <string_view>

namespace cosmos3::hub {
namespace {

constexpr std::array<std::string_view, 6> kComponentFolders = {
    "transformer", "vae", "scheduler", "text_tokenizer", "tokenizer", "sound_tokenizer"};
constexpr std::array<std::string_view, 5> kLoadedExtensions = {".json", ".safetensors", ".txt",
                                                               ".model", ".jinja"};
constexpr std::array<std::string_view, 2> kTopLevelFiles = {"model_index.json",
                                                            "modular_model_index.json"};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// diffusers names a variant "<name>.<variant>.safetensors" (shards: "<name>-00001-of-00002.
// <variant>.safetensors") and its index "<name>.safetensors.index.<variant>.json".
bool is_precision_variant(std::string_view file_name) {
  static const std::regex variant_weights(R"(^[^.]+\.[A-Za-z0-9_]+\.safetensors$)");
  static const std::regex variant_index(R"(^.+\.safetensors\.index\.[A-Za-z0-9_]+\.json$)");
  const std::string name(file_name);
  return std::regex_match(name, variant_weights) || std::regex_match(name, variant_index);
}

bool is_training_state(std::string_view file_name) {
  return file_name == "trainer_state.json" || starts_with(file_name, "optimizer") ||
         starts_with(file_name, "training_args");
}

bool has_loaded_extension(std::string_view file_name) {
  for (const std::string_view extension : kLoadedExtensions) {
    if (ends_with(file_name, extension)) {
      return true;
    }
  }
  return false;
}

bool selection_has(const std::vector<RepoFile>& files, std::string_view folder,
                   std::string_view suffix) {
  for (const RepoFile& file : files) {
    if (starts_with(file.path, std::string(folder) + "/") && ends_with(file.path, suffix)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool pipeline_loads_file(const std::string& path) {
  const auto slash = path.find('/');
  if (slash == std::string::npos) {
    for (const std::string_view name : kTopLevelFiles) {
      if (path == name) {
        return true;
      }
    }
    return false;
  }
  const std::string_view folder = std::string_view(path).substr(0, slash);
  bool is_component = false;
  for (const std::string_view component : kComponentFolders) {
    is_component = is_component || folder == component;
  }
  const std::string_view file_name = std::string_view(path).substr(path.rfind('/') + 1);
  return is_component && has_loaded_extension(file_name) && !is_precision_variant(file_name) &&
         !is_training_state(file_name);
}

std::vector<RepoFile> select_pipeline_files(const RepoListing& listing) {
  std::vector<RepoFile> selected;
  for (const RepoFile& file : listing.files) {
    if (pipeline_loads_file(file.path)) {
      selected.push_back(file);
    }
  }
  std::vector<std::string> missing;
  if (std::none_of(selected.begin(), selected.end(),
                   [](const RepoFile& file) { return file.path == "model_index.json"; })) {
    missing.push_back("model_index.json");
  }
  for (const std::string_view folder : {"transformer", "vae"}) {
    if (!selection_has(selected, folder, ".safetensors")) {
      missing.push_back(std::string(folder) + "/*.safetensors (unsuffixed, not a .fp16 variant)");
    }
  }
  if (!selection_has(selected, "scheduler", "scheduler_config.json")) {
    missing.push_back("scheduler/scheduler_config.json");
  }
  if (!selection_has(selected, "text_tokenizer", "tokenizer.json") &&
      !selection_has(selected, "tokenizer", "tokenizer.json")) {
    missing.push_back("text_tokenizer/tokenizer.json");
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& name : missing) {
      list += (list.empty() ? "" : ", ") + name;
    }
    throw DownloadError(listing.repo + " at " + listing.revision +
                        " is not a Cosmos3 diffusers pipeline we can run: it lacks " + list +
                        "; choose a Cosmos3 repository (e.g. nvidia/Cosmos3-Nano)");
  }
  return selected;
}

}  // namespace cosmos3::hub
