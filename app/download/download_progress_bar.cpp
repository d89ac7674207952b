#include "app/download/download_progress_bar.h"

#include "core/hub/hub_errors.h"

#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>

namespace cosmos3::tool {
namespace {

constexpr int kBarWidth = 24;

}  // namespace

DownloadProgressBar::DownloadProgressBar(std::ostream& out, bool is_terminal)
    : out_(out), is_terminal_(is_terminal) {}

void DownloadProgressBar::update(const hub::DownloadProgress& progress) {
  const auto now = std::chrono::steady_clock::now();
  // The rate counts only bytes fetched in this run, from the first report on.
  if (!rate_started_) {
    rate_started_ = true;
    rate_start_ = now;
    rate_start_bytes_ = progress.num_bytes_done;
  }
  const double seconds = std::chrono::duration<double>(now - rate_start_).count();
  if (seconds > 0.5 && progress.num_bytes_done >= rate_start_bytes_) {
    bytes_per_second_ = static_cast<double>(progress.num_bytes_done - rate_start_bytes_) / seconds;
  }
  if (is_terminal_) {
    draw(progress);
    return;
  }
  const int tenth = progress.num_bytes == 0
                        ? 10
                        : static_cast<int>(10 * progress.num_bytes_done / progress.num_bytes);
  if (progress.stage == hub::DownloadProgress::Stage::kFileDone || tenth != last_logged_tenth_) {
    last_logged_tenth_ = tenth;
    draw(progress);
    out_ << '\n';
  }
}

void DownloadProgressBar::draw(const hub::DownloadProgress& progress) {
  const double fraction = progress.num_bytes == 0 ? 1.0
                                                  : static_cast<double>(progress.num_bytes_done) /
                                                        static_cast<double>(progress.num_bytes);
  const int filled = static_cast<int>(fraction * kBarWidth);
  const char* stage = progress.stage == hub::DownloadProgress::Stage::kVerifying  ? "checking "
                      : progress.stage == hub::DownloadProgress::Stage::kFileDone ? "done "
                                                                                  : "";
  std::string line = "[" + std::string(static_cast<size_t>(filled), '#') +
                     std::string(static_cast<size_t>(kBarWidth - filled), '-') + "] ";
  std::ostringstream percent;
  percent << std::setw(3) << static_cast<int>(fraction * 100) << "%  ";
  line += percent.str() + hub::format_bytes(progress.num_bytes_done) + " / " +
          hub::format_bytes(progress.num_bytes);
  if (bytes_per_second_ > 0) {
    line += "  " + hub::format_bytes(static_cast<uint64_t>(bytes_per_second_)) + "/s";
  }
  line += "  " + std::to_string(progress.file_index + 1) + "/" +
          std::to_string(progress.num_files) + " " + stage + progress.path;
  if (is_terminal_) {
    // "\33[K" clears what a longer previous line left on the right.
    out_ << '\r' << line << "\33[K" << std::flush;
    line_open_ = true;
  } else {
    out_ << line;
  }
}

void DownloadProgressBar::finish() {
  if (line_open_) {
    out_ << '\n';
    line_open_ = false;
  }
}

}  // namespace cosmos3::tool
