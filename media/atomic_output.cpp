#include "media/atomic_output.h"

#include "core/errors.h"

#include <unistd.h>

namespace cosmos3::media {

AtomicOutput::AtomicOutput(std::filesystem::path final_path)
    : final_path_(std::move(final_path)),
      temporary_path_(final_path_.parent_path() /
                      (final_path_.stem().string() + ".partial-" + std::to_string(::getpid()) +
                       final_path_.extension().string())) {
  const auto folder =
      final_path_.parent_path().empty() ? std::filesystem::path(".") : final_path_.parent_path();
  if (!std::filesystem::is_directory(folder)) {
    throw MediaError("cannot write " + final_path_.string() + ": folder " + folder.string() +
                     " does not exist");
  }
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path_, ignored);
  }
}

void AtomicOutput::commit() {
  std::error_code error;
  std::filesystem::rename(temporary_path_, final_path_, error);
  if (error) {
    throw MediaError("cannot write " + final_path_.string() + ": " + error.message());
  }
  committed_ = true;
}

}  // namespace cosmos3::media
