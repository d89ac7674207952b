#pragma once
// The life of one rank of a resident backend group (cosmos3-worker): rank 0 claims the socket,
// every rank joins the layout and loads the model once, then rank 0 relays each command (a job,
// an idle heartbeat, shutdown) to all ranks, which run it in lockstep. Rank 0 reports events to
// the client. A rank that cannot continue a job logs a failure record and exits; the supervisor
// then fails the job with that record and restarts the group.

#include "parallel/backend/generation_engine.h"

#include <filesystem>

namespace cosmos3::backend {

struct WorkerOptions {
  EngineSettings engine;
  std::filesystem::path socket_path;  // rank 0 listens here
  std::filesystem::path preview_dir;  // live previews go here (not into output folders)
};

// Exit status of a rank: 0 after a shutdown, kRankFailedExit after a failure it logged.
inline constexpr int kRankFailedExit = 3;
int run_worker(const WorkerOptions& options);

}  // namespace cosmos3::backend
