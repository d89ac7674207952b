#include "core/hub/download_manifest.h"

#include "core/hub/hub_errors.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace cosmos3::hub {
namespace {

using Json = nlohmann::json;

constexpr int kManifestFormat = 1;

Json file_to_json(const RepoFile& file) {
  Json entry = {{"path", file.path}, {"size", file.size}, {"git_blob_id", file.git_blob_id}};
  if (file.lfs_sha256) {
    entry["sha256"] = *file.lfs_sha256;
  }
  return entry;
}

RepoFile file_from_json(const Json& entry) {
  RepoFile file;
  file.path = entry.at("path").get<std::string>();
  file.size = entry.at("size").get<uint64_t>();
  file.git_blob_id = entry.value("git_blob_id", std::string());
  if (entry.contains("sha256")) {
    file.lfs_sha256 = entry["sha256"].get<std::string>();
  }
  return file;
}

}  // namespace

void write_download_manifest(const std::filesystem::path& folder,
                             const DownloadManifest& manifest) {
  Json files = Json::array();
  for (const RepoFile& file : manifest.files) {
    files.push_back(file_to_json(file));
  }
  const Json document = {{"format", kManifestFormat},
                         {"repo", manifest.repo},
                         {"revision", manifest.revision},
                         {"commit", manifest.commit},
                         {"files", std::move(files)}};
  const std::filesystem::path final_path = folder / kManifestFileName;
  const std::filesystem::path temporary_path =
      folder / (std::string(kManifestFileName) + ".partial");
  {
    std::ofstream stream(temporary_path, std::ios::binary | std::ios::trunc);
    stream << document.dump(2) << '\n';
    stream.flush();
    if (!stream) {
      std::error_code ignored;
      std::filesystem::remove(temporary_path, ignored);
      throw DownloadError("cannot write " + final_path.string() +
                          " (disk full or not writable?): free space and rerun; every file is "
                          "already downloaded and will only be checked");
    }
  }
  std::filesystem::rename(temporary_path, final_path);
}

std::optional<DownloadManifest> read_download_manifest(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / kManifestFileName;
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << stream.rdbuf();
  try {
    const Json document = Json::parse(text.str());
    DownloadManifest manifest;
    manifest.repo = document.at("repo").get<std::string>();
    manifest.revision = document.at("revision").get<std::string>();
    manifest.commit = document.at("commit").get<std::string>();
    for (const Json& entry : document.at("files")) {
      manifest.files.push_back(file_from_json(entry));
    }
    return manifest;
  } catch (const Json::exception& error) {
    throw DownloadError(path.string() + " is damaged (" + error.what() +
                        "): delete it and download the model again to check every file");
  }
}

}  // namespace cosmos3::hub
