#pragma once
// Starts N ranks of one program on this host (cosmos3-launch): a free port for the rendezvous,
// the rank variables of rank_environment.h, one log per rank, and a bounded end when any rank
// fails. Ranks find each other through COSMOS3_MASTER_ADDR/PORT, where rank 0 hosts the store.

#include "parallel/comm/rank_process.h"  // find_free_port

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace cosmos3::parallel {

struct LaunchOptions {
  int num_processes = 1;
  // rank-K.log for every rank K; rank 0's output also goes to the terminal.
  std::filesystem::path log_dir = "cosmos3-launch-logs";
  // The whole run fails after this long; zero means no limit.
  std::chrono::seconds timeout{0};
  // After one rank fails, the others get this long to notice and exit on their own (their
  // logs then say what they saw) before the launcher kills them.
  std::chrono::seconds grace{5};
  // Program and its arguments.
  std::vector<std::string> command;
  // --help was given: print launch_usage() and start nothing.
  bool help = false;
};

// Parses `--nproc N [--log-dir DIR] [--timeout S] [--grace S] -- PROGRAM ARGS...` with the
// shared parser (core/cli/command_line.h). Throws cli::UsageError naming the bad flag.
LaunchOptions parse_launch_arguments(const std::vector<std::string>& arguments);

// Rendered from the flags parse_launch_arguments declares.
std::string launch_usage();

// Runs the ranks to completion. Returns 0 when every rank exits 0; otherwise names the rank
// that failed first, its exit status and log (with the log's tail) on `report`, and returns 1
// (124 on timeout, 130 when interrupted).
int run_local_launch(const LaunchOptions& options, std::ostream& terminal, std::ostream& report);

}  // namespace cosmos3::parallel
