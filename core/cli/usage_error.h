#pragma once
// The error of a command line that cannot be parsed, shared by every executable.

#include "core/errors.h"

#include <string>
#include <utility>

namespace cosmos3::cli {

// The exit status of a command line that cannot be parsed, as in the BSD/GNU convention
// (sysexits' EX_USAGE is 64, but every tool here and argparse use 2).
inline constexpr int kUsageExitCode = 2;

// A command line that cannot be parsed: unknown flag, missing or malformed value, flag given
// twice, required flag missing. The message names the flag and what it accepts; `usage()` is the
// usage text of the command the error is about, attached by the parser (empty when the error
// comes from a check made after parsing).
class UsageError : public UserError {
 public:
  explicit UsageError(const std::string& message, std::string usage = {})
      : UserError(message), usage_(std::move(usage)) {}

  const std::string& usage() const noexcept { return usage_; }

 private:
  std::string usage_;
};

}  // namespace cosmos3::cli
