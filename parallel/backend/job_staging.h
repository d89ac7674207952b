#pragma once
// A job's outputs appear whole or not at all: files are written under temporary names (a hidden
// staging folder inside the output folder, so renames stay on one filesystem) and moved to their
// final names only when every one of them is written. A failed or canceled job leaves nothing.

#include <filesystem>
#include <utility>
#include <vector>

namespace cosmos3::backend {

class JobStaging {
 public:
  // Creates the output folder and the staging folder; throws UserError naming the folder
  // when it cannot be created or written (a read-only folder, a full disk).
  explicit JobStaging(std::filesystem::path output_dir);
  ~JobStaging();  // removes whatever was not committed
  JobStaging(const JobStaging&) = delete;
  JobStaging& operator=(const JobStaging&) = delete;

  const std::filesystem::path& staging_dir() const { return staging_dir_; }
  // Where to write a file that must end at `final_path` (inside the output folder or not).
  std::filesystem::path stage(const std::filesystem::path& final_path);
  // Records a file written into the staging folder under its final name's file name.
  void adopt(const std::filesystem::path& staged_file);
  // Moves every staged file to its final path; returns the final paths.
  std::vector<std::filesystem::path> commit();

 private:
  std::filesystem::path output_dir_;
  std::filesystem::path staging_dir_;
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // temp, final
  bool committed_ = false;
};

}  // namespace cosmos3::backend
