#pragma once
// Typed exceptions for errors a user can fix. Internal invariants use TORCH_CHECK instead.

#include <stdexcept>
#include <string>
#include <utility>

namespace cosmos3 {

// Base of every error caused by user input: files, configs, flags, media.
// The message names the bad input and, where possible, what to do about it.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A checkpoint file or folder that cannot be used: corrupt, truncated, wrong dtype,
// missing tensor, shape that disagrees with the config.
class CheckpointError : public UserError {
 public:
  CheckpointError(const std::string& file, const std::string& tensor, const std::string& problem);

  const std::string& file() const noexcept { return file_; }
  const std::string& tensor() const noexcept { return tensor_; }

 private:
  std::string file_;
  std::string tensor_;
};

// A config file (config.json, model_index.json) that is unreadable or holds values the engine
// cannot run. The message names the file, the field and the accepted values.
class ConfigError : public UserError {
 public:
  using UserError::UserError;
};

// A media file that cannot be read or written: unreadable, truncated, unsupported codec, or an
// output folder that cannot take the file. The message names the file.
class MediaError : public UserError {
 public:
  using UserError::UserError;
};

// The exit status of a command line that cannot be parsed, as argparse and the GNU tools use.
inline constexpr int kUsageExitCode = 2;

// A command line that cannot be parsed: unknown flag, missing or malformed value, flag given
// twice, required flag missing. The message names the flag and what it accepts; `usage()` is the
// usage text of the command the error is about, attached by the parser (core/cli), empty when
// the error comes from a check made after parsing.
class UsageError : public UserError {
 public:
  explicit UsageError(const std::string& message, std::string usage = {})
      : UserError(message), usage_(std::move(usage)) {}

  const std::string& usage() const noexcept { return usage_; }

 private:
  std::string usage_;
};

}  // namespace cosmos3
