#pragma once
// The text progress of `cosmos3-tool download`: on a terminal one line redrawn in place
// ("[#######-------]  48%  14.3 GB / 29.8 GB  52.1 MB/s  3/12 transformer/..."); in a log (not a
// terminal) a line per finished file and per tenth of the total, so logs stay short.

#include "core/hub/download_progress.h"

#include <chrono>
#include <iosfwd>

namespace cosmos3::tool {

class DownloadProgressBar {
 public:
  DownloadProgressBar(std::ostream& out, bool is_terminal);

  void update(const hub::DownloadProgress& progress);
  // Ends the redrawn line, so what follows starts on its own.
  void finish();

 private:
  void draw(const hub::DownloadProgress& progress);

  std::ostream& out_;
  bool is_terminal_;
  bool line_open_ = false;
  int last_logged_tenth_ = -1;
  std::chrono::steady_clock::time_point rate_start_;
  uint64_t rate_start_bytes_ = 0;
  double bytes_per_second_ = 0;
  bool rate_started_ = false;
};

}  // namespace cosmos3::tool
