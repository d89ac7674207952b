#pragma once
// Writing an output so that a failure never leaves a partial file under its final name: write
// to a temporary name beside it, then rename. The temporary keeps the extension, so tools that
// pick a format by extension see the right one.

#include <filesystem>

namespace cosmos3::media {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::filesystem::path final_path);
  ~AtomicOutput();  // removes the temporary unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& temporary_path() const { return temporary_path_; }
  // Renames the temporary to the final path. Throws MediaError naming the final path.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temporary_path_;
  bool committed_ = false;
};

}  // namespace cosmos3::media
