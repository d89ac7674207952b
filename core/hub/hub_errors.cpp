#include "core/hub/hub_errors.h"

#include <array>
#include <cstdio>

namespace cosmos3::hub {
namespace {

std::string describe_gated_repo(const std::string& repo, bool had_token) {
  const std::string url = "https://huggingface.co/" + repo;
  if (had_token) {
    return "the Hugging Face token has no access to " + repo +
           ": it is gated; sign in with the token's account, accept the licence at " + url +
           ", then rerun";
  }
  return repo + " is gated and no Hugging Face token was found: accept the licence at " + url +
         ", then give a token (the studio's settings, HF_TOKEN, or `hf auth login`) and rerun";
}

}  // namespace

GatedRepoError::GatedRepoError(const std::string& repo, bool had_token)
    : DownloadError(describe_gated_repo(repo, had_token)),
      licence_url_("https://huggingface.co/" + repo) {}

DiskSpaceError::DiskSpaceError(const std::string& folder, uint64_t num_bytes_needed,
                               uint64_t num_bytes_free)
    : DownloadError("not enough disk space in " + folder + ": the download needs " +
                    format_bytes(num_bytes_needed) + " (" + std::to_string(num_bytes_needed) +
                    " bytes) but only " + format_bytes(num_bytes_free) + " (" +
                    std::to_string(num_bytes_free) +
                    " bytes) are free; free some space or choose another folder with --dir"),
      num_bytes_needed_(num_bytes_needed),
      num_bytes_free_(num_bytes_free) {}

std::string format_bytes(uint64_t num_bytes) {
  constexpr std::array<const char*, 5> kUnits = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(num_bytes);
  size_t unit = 0;
  while (value >= 1000.0 && unit + 1 < kUnits.size()) {
    value /= 1000.0;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return text.data();
}

}  // namespace cosmos3::hub
