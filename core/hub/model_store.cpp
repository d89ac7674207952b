#include "core/hub/model_store.h"

#include "core/hub/download_manifest.h"
#include "core/hub/hub_errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cosmos3::hub {
namespace {

using Json = nlohmann::json;

constexpr const char* kRegistryFileName = "registered.json";

bool is_pipeline_folder(const std::filesystem::path& folder, std::string& missing) {
  for (const char* required : {"model_index.json", "transformer", "vae", "scheduler"}) {
    if (!std::filesystem::exists(folder / required)) {
      missing = required;
      return false;
    }
  }
  if (!std::filesystem::exists(folder / "text_tokenizer") &&
      !std::filesystem::exists(folder / "tokenizer")) {
    missing = "text_tokenizer";
    return false;
  }
  return true;
}

// A damaged manifest vouches for nothing: such a folder is listed as unfinished, so one bad
// file cannot hide every other model.
std::optional<DownloadManifest> readable_manifest(const std::filesystem::path& folder) {
  try {
    return read_download_manifest(folder);
  } catch (const DownloadError&) {
    return std::nullopt;
  }
}

}  // namespace

std::string resolve_model_alias(const std::string& name_or_repo) {
  if (name_or_repo == "nano") {
    return "nvidia/Cosmos3-Nano";
  }
  if (name_or_repo == "super") {
    return "nvidia/Cosmos3-Super";
  }
  return name_or_repo;
}

std::filesystem::path default_models_root() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  std::filesystem::path base;
  if (data_home != nullptr && *data_home != '\0') {
    base = data_home;
  } else {
    const char* home = std::getenv("HOME");
    base = std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share";
  }
  return base / "cosmos3-studio" / "models";
}

std::filesystem::path default_model_folder(const std::string& repo) {
  return default_models_root() / repo;
}

ModelStore::ModelStore(std::filesystem::path root) : root_(std::move(root)) {}

std::vector<StoredModel> ModelStore::list() const {
  std::vector<StoredModel> models;
  std::error_code error;
  for (const auto& owner : std::filesystem::directory_iterator(root_, error)) {
    if (!owner.is_directory()) {
      continue;
    }
    for (const auto& model : std::filesystem::directory_iterator(owner.path(), error)) {
      if (!model.is_directory()) {
        continue;
      }
      const auto manifest = readable_manifest(model.path());
      models.push_back(StoredModel{.folder = model.path(),
                                   .repo = manifest ? manifest->repo
                                                    : owner.path().filename().string() + "/" +
                                                          model.path().filename().string(),
                                   .complete = manifest.has_value(),
                                   .registered = false});
    }
  }
  std::sort(models.begin(), models.end(),
            [](const StoredModel& a, const StoredModel& b) { return a.folder < b.folder; });
  for (const auto& folder : registered_folders()) {
    const auto manifest = readable_manifest(folder);
    models.push_back(StoredModel{.folder = folder,
                                 .repo = manifest ? manifest->repo : std::string(),
                                 .complete = true,
                                 .registered = true});
  }
  return models;
}

StoredModel ModelStore::add_existing_folder(const std::filesystem::path& folder) {
  const std::filesystem::path absolute = std::filesystem::absolute(folder).lexically_normal();
  std::string missing;
  if (!std::filesystem::is_directory(absolute)) {
    throw DownloadError(absolute.string() +
                        " is not a folder: give the diffusers pipeline folder "
                        "(the one holding model_index.json)");
  }
  if (!is_pipeline_folder(absolute, missing)) {
    throw DownloadError(absolute.string() + " is no Cosmos3 diffusers pipeline folder: it lacks " +
                        missing +
                        "; give the folder holding model_index.json, transformer/, "
                        "vae/, scheduler/ and text_tokenizer/ (for a Hugging Face cache: "
                        "its snapshots/<commit>/ folder)");
  }
  auto folders = registered_folders();
  if (std::find(folders.begin(), folders.end(), absolute) == folders.end()) {
    folders.push_back(absolute);
    write_registered_folders(folders);
  }
  const auto manifest = read_download_manifest(absolute);
  return StoredModel{.folder = absolute,
                     .repo = manifest ? manifest->repo : std::string(),
                     .complete = true,
                     .registered = true};
}

void ModelStore::remove(const std::filesystem::path& folder) {
  const std::filesystem::path absolute = std::filesystem::absolute(folder).lexically_normal();
  auto folders = registered_folders();
  const auto found = std::find(folders.begin(), folders.end(), absolute);
  if (found != folders.end()) {
    folders.erase(found);
    write_registered_folders(folders);
    return;
  }
  const auto relative = absolute.lexically_relative(std::filesystem::absolute(root_));
  if (relative.empty() || *relative.begin() == ".." || relative == ".") {
    throw DownloadError(absolute.string() + " is neither a download under " + root_.string() +
                        " nor a registered folder: delete it yourself if you mean to");
  }
  std::filesystem::remove_all(absolute);
}

std::vector<std::filesystem::path> ModelStore::registered_folders() const {
  std::ifstream stream(root_ / kRegistryFileName);
  if (!stream) {
    return {};
  }
  std::ostringstream text;
  text << stream.rdbuf();
  const Json document = Json::parse(text.str(), nullptr, false);
  std::vector<std::filesystem::path> folders;
  if (document.is_object() && document.contains("folders") && document["folders"].is_array()) {
    for (const Json& folder : document["folders"]) {
      if (folder.is_string()) {
        folders.emplace_back(folder.get<std::string>());
      }
    }
  }
  return folders;
}

void ModelStore::write_registered_folders(const std::vector<std::filesystem::path>& folders) const {
  Json list = Json::array();
  for (const auto& folder : folders) {
    list.push_back(folder.string());
  }
  std::filesystem::create_directories(root_);
  const std::filesystem::path path = root_ / kRegistryFileName;
  const std::filesystem::path temporary = path.string() + ".partial";
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    stream << Json{{"folders", list}}.dump(2) << '\n';
    if (!stream) {
      throw DownloadError("cannot write " + path.string() + ": is the data folder writable?");
    }
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace cosmos3::hub
