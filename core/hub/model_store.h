#pragma once
// Where models live and which ones the user has: downloads under the XDG data dir
// ($XDG_DATA_HOME/cosmos3-studio/models/<owner>/<name>, ~/.local/share by default), plus folders
// the user already had (a Hugging Face cache snapshot, say) registered as they are in
// models/registered.json beside them.

#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::hub {

// "nano" and "super" name NVIDIA's releases; anything else is returned as it is (a repo id).
std::string resolve_model_alias(const std::string& name_or_repo);

// The folder downloads go under: $XDG_DATA_HOME/cosmos3-studio/models, else
// ~/.local/share/cosmos3-studio/models (QStandardPaths' AppDataLocation for the studio).
std::filesystem::path default_models_root();

// default_models_root() / owner / name.
std::filesystem::path default_model_folder(const std::string& repo);

struct StoredModel {
  std::filesystem::path folder;
  std::string repo;         // from the manifest; empty for a registered folder without one
  bool complete = false;    // has a download manifest (or was registered: the user vouches)
  bool registered = false;  // added as is, not downloaded by us
};

class ModelStore {
 public:
  explicit ModelStore(std::filesystem::path root = default_models_root());

  // Complete downloads under the root (a folder without manifest is an unfinished download,
  // listed with complete = false so it can be resumed or deleted), then registered folders.
  std::vector<StoredModel> list() const;

  // Registers an existing pipeline folder as is (nothing copied). Throws DownloadError naming the
  // folder when it lacks model_index.json or a transformer/, vae/, scheduler/ or tokenizer folder.
  StoredModel add_existing_folder(const std::filesystem::path& folder);

  // Forgets a registered folder (its files stay); deletes a downloaded one under the root.
  void remove(const std::filesystem::path& folder);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::vector<std::filesystem::path> registered_folders() const;
  void write_registered_folders(const std::vector<std::filesystem::path>& folders) const;

  std::filesystem::path root_;
};

}  // namespace cosmos3::hub
