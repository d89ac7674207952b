#include "parallel/backend/job_staging.h"

#include "core/errors.h"

#include <unistd.h>

#include <fstream>

namespace cosmos3::backend {

JobStaging::JobStaging(std::filesystem::path output_dir) : output_dir_(std::move(output_dir)) {
  std::error_code error;
  std::filesystem::create_directories(output_dir_, error);
  // One spelling of the folder, so that stage() recognises files that belong inside it.
  output_dir_ = std::filesystem::weakly_canonical(output_dir_, error);
  staging_dir_ = output_dir_ / (".cosmos3-partial-" + std::to_string(::getpid()));
  std::filesystem::remove_all(staging_dir_, error);
  std::filesystem::create_directories(staging_dir_, error);
  const std::filesystem::path probe = staging_dir_ / "write-test";
  if (error || !(std::ofstream(probe) << "ok")) {
    std::filesystem::remove_all(staging_dir_, error);
    throw UserError("the output folder " + output_dir_.string() +
                    " cannot be created or written: choose a writable folder with free space");
  }
  std::filesystem::remove(probe, error);
}

JobStaging::~JobStaging() {
  std::error_code error;
  if (!committed_) {
    for (const auto& [temporary, final_path] : staged_) std::filesystem::remove(temporary, error);
  }
  std::filesystem::remove_all(staging_dir_, error);
}

std::filesystem::path JobStaging::stage(const std::filesystem::path& final_path) {
  const std::filesystem::path temporary =
      std::filesystem::weakly_canonical(final_path.parent_path()) == output_dir_
          ? staging_dir_ / final_path.filename()
          : std::filesystem::path(final_path.string() + ".cosmos3-partial");
  staged_.emplace_back(temporary, final_path);
  return temporary;
}

void JobStaging::adopt(const std::filesystem::path& staged_file) {
  staged_.emplace_back(staged_file, output_dir_ / staged_file.filename());
}

std::vector<std::filesystem::path> JobStaging::commit() {
  std::vector<std::filesystem::path> finals;
  for (const auto& [temporary, final_path] : staged_) {
    std::error_code error;
    std::filesystem::rename(temporary, final_path, error);
    if (error) {
      throw UserError("cannot move " + temporary.string() + " to " + final_path.string() + ": " +
                      error.message());
    }
    finals.push_back(final_path);
  }
  committed_ = true;
  return finals;
}

}  // namespace cosmos3::backend
