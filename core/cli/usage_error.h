#pragma once
// The error of a command line that cannot be parsed, as the parser's users spell it. It lives
// with the other user errors in core/errors.h.

#include "core/errors.h"

namespace cosmos3::cli {

using cosmos3::kUsageExitCode;
using cosmos3::UsageError;

}  // namespace cosmos3::cli
