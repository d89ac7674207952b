#pragma once
// Typed errors of the parallel runtime. Each message names the rank, group or layout factor at
// fault and what to do about it.

#include "core/errors.h"

#include <string>

namespace cosmos3::parallel {

// Base of every error the parallel runtime reports to a user: launch environment, layout,
// communication.
class ParallelError : public UserError {
 public:
  using UserError::UserError;
};

// A launch environment variable (COSMOS3_RANK, MASTER_PORT, ...) is missing or malformed.
class RankEnvironmentError : public ParallelError {
 public:
  using ParallelError::ParallelError;
};

// Parallel degrees that cannot run on this world (product, cfg > 3, more ranks than devices).
class LayoutError : public ParallelError {
 public:
  using ParallelError::ParallelError;
};

// A peer died, hung past the timeout, or called a different collective. `peer_rank` is the
// peer's rank in the world group, -1 when no single peer is to blame.
class CommunicationError : public ParallelError {
 public:
  CommunicationError(int peer_rank, const std::string& message)
      : ParallelError(message), peer_rank_(peer_rank) {}

  int peer_rank() const noexcept { return peer_rank_; }

 private:
  int peer_rank_;
};

}  // namespace cosmos3::parallel
