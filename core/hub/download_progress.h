#pragma once
// What a running download reports, for a progress bar (cosmos3-tool) or a model page (studio).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cosmos3::hub {

struct DownloadProgress {
  enum class Stage { kDownloading, kVerifying, kFileDone };
  Stage stage = Stage::kDownloading;
  std::string path;  // the file, relative to the model folder
  size_t file_index = 0;
  size_t num_files = 0;
  uint64_t num_file_bytes_done = 0;
  uint64_t num_file_bytes = 0;
  uint64_t num_bytes_done = 0;  // over every selected file, those already there included
  uint64_t num_bytes = 0;
};

// Called on the downloading thread, at most every ~100 ms while bytes flow and once per stage
// change; it must return quickly.
using ProgressCallback = std::function<void(const DownloadProgress&)>;

}  // namespace cosmos3::hub
