#include "parallel/comm/local_launcher.h"

#include "core/cli/command_line.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/rank_environment.h"
#include "parallel/comm/rank_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <optional>

namespace cosmos3::parallel {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> interrupt_signal{0};

void on_interrupt(int signal_number) { interrupt_signal = signal_number; }

struct RankProcess {
  pid_t pid = -1;
  std::filesystem::path log_path;
  std::optional<int> wait_status;  // set once reaped
  bool stopped_by_launcher = false;
};

int parse_count(std::string_view flag, std::string_view value, int min_value) {
  int parsed = 0;
  const char* end = value.data() + value.size();
  const auto [parsed_end, error] = std::from_chars(value.data(), end, parsed);
  if (value.empty() || error != std::errc() || parsed_end != end || parsed < min_value) {
    throw cli::UsageError(std::string(flag) + " needs an integer >= " + std::to_string(min_value) +
                          ", got '" + std::string(value) + "'");
  }
  return parsed;
}

cli::Command launch_command(LaunchOptions& options, bool& has_program) {
  cli::Command command("cosmos3-launch",
                       "Starts N ranks of a program on this host and ends them all when one "
                       "fails.");
  command
      .add_flag({.name = "--nproc",
                 .value_name = "N",
                 .help = "number of ranks, >= 1",
                 .set = [&](auto flag,
                            auto value) { options.num_processes = parse_count(flag, value, 1); },
                 .required = true})
      .add_flag({.name = "--log-dir",
                 .value_name = "DIR",
                 .help = "one rank-K.log per rank (default cosmos3-launch-logs); rank 0 also\n"
                         "goes to the terminal",
                 .set = [&](auto, auto value) { options.log_dir = std::string(value); }})
      .add_flag({.name = "--timeout",
                 .value_name = "SECONDS",
                 .help = "fail the whole run after this long (default 0: no limit)",
                 .set =
                     [&](auto flag, auto value) {
                       options.timeout = std::chrono::seconds(parse_count(flag, value, 0));
                     }})
      .add_flag({.name = "--grace",
                 .value_name = "SECONDS",
                 .help = "after one rank fails, how long the others get to exit on their own\n"
                         "(default 5)",
                 .set =
                     [&](auto flag, auto value) {
                       options.grace = std::chrono::seconds(parse_count(flag, value, 0));
                     }})
      .set_passthrough({.name = "PROGRAM [ARGS...]",
                        .help = "the program every rank runs, with its arguments",
                        .set = [&](std::vector<std::string> arguments) {
                          options.command = std::move(arguments);
                          has_program = true;
                        }});
  return command;
}

void signal_running(std::vector<RankProcess>& ranks, int signal_number) {
  for (auto& rank : ranks) {
    if (rank.wait_status) continue;
    rank.stopped_by_launcher = true;
    ::kill(rank.pid, signal_number);
  }
}

}  // namespace

LaunchOptions parse_launch_arguments(const std::vector<std::string>& arguments) {
  LaunchOptions options;
  bool has_program = false;
  const cli::Command command = launch_command(options, has_program);
  if (command.parse(arguments).help_requested) {
    options.help = true;
    return options;
  }
  if (!has_program || options.command.empty()) {
    throw cli::UsageError("no program given after --", command.usage());
  }
  return options;
}

std::string launch_usage() {
  LaunchOptions unused_options;
  bool unused_has_program = false;
  return launch_command(unused_options, unused_has_program).usage();
}

int run_local_launch(const LaunchOptions& options, std::ostream& terminal, std::ostream& report) {
  std::filesystem::create_directories(options.log_dir);
  const std::uint16_t port = find_free_port();
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);

  std::vector<RankProcess> ranks(static_cast<std::size_t>(options.num_processes));
  int rank0_pipe = -1;
  std::ofstream rank0_log;
  for (int rank = 0; rank < options.num_processes; ++rank) {
    RankProcess& process = ranks[static_cast<std::size_t>(rank)];
    process.log_path = options.log_dir / ("rank-" + std::to_string(rank) + ".log");
    int output_fd = -1;
    int child_closes = -1;
    if (rank == 0) {
      // Rank 0 writes into a pipe that the launcher copies to the terminal and its log.
      int pipe_fds[2];
      if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw ParallelError("cannot create a pipe");
      rank0_pipe = pipe_fds[0];
      output_fd = pipe_fds[1];
      child_closes = pipe_fds[0];
      rank0_log.open(process.log_path, std::ios::trunc);
    } else {
      output_fd = ::open(process.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (output_fd < 0) throw ParallelError("cannot write " + process.log_path.string());
    }
    process.pid = start_rank_process(options.command,
                                     rank_environment_block(rank, options.num_processes, port),
                                     output_fd, child_closes);
    ::close(output_fd);
  }

  const auto started = Clock::now();
  std::optional<int> first_failure;
  std::optional<Clock::time_point> stop_at;  // when still-running ranks get killed
  bool timed_out = false;
  bool killed_hard = false;
  std::size_t num_running = ranks.size();
  char buffer[8192];
  while (num_running > 0 || rank0_pipe >= 0) {
    if (rank0_pipe >= 0) {
      pollfd polled{rank0_pipe, POLLIN, 0};
      if (::poll(&polled, 1, 50) > 0) {
        const ssize_t num_read = ::read(rank0_pipe, buffer, sizeof(buffer));
        if (num_read > 0) {
          terminal.write(buffer, num_read).flush();
          rank0_log.write(buffer, num_read).flush();
        } else if (num_read == 0 || errno != EINTR) {
          ::close(rank0_pipe);
          rank0_pipe = -1;
        }
      }
    } else {
      ::usleep(50'000);
    }
    int status = 0;
    for (pid_t pid; num_running > 0 && (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      for (std::size_t rank = 0; rank < ranks.size(); ++rank) {
        if (ranks[rank].pid != pid) continue;
        ranks[rank].wait_status = status;
        --num_running;
        if (wait_status_failed(status) && !ranks[rank].stopped_by_launcher && !first_failure) {
          first_failure = static_cast<int>(rank);
          stop_at = Clock::now() + options.grace;
        }
      }
    }
    const auto now = Clock::now();
    if (interrupt_signal != 0 && !stop_at) stop_at = now;
    if (options.timeout.count() > 0 && now - started > options.timeout && !stop_at) {
      timed_out = true;
      stop_at = now;
    }
    if (num_running > 0 && stop_at && now >= *stop_at) {
      signal_running(ranks, killed_hard ? SIGKILL : SIGTERM);
      // Ranks that ignore SIGTERM get SIGKILL three seconds later.
      killed_hard = true;
      stop_at = now + std::chrono::seconds(3);
    }
  }

  if (first_failure) {
    const RankProcess& culprit = ranks[static_cast<std::size_t>(*first_failure)];
    report << "cosmos3-launch: rank " << *first_failure << " failed with "
           << describe_wait_status(*culprit.wait_status) << "; log: " << culprit.log_path.string()
           << "\n  last lines of its log:\n"
           << log_tail(culprit.log_path, 20);
  }
  for (std::size_t rank = 0; rank < ranks.size(); ++rank) {
    const RankProcess& process = ranks[rank];
    if (static_cast<int>(rank) == first_failure || !wait_status_failed(*process.wait_status))
      continue;
    report << "cosmos3-launch: rank " << rank << " "
           << (process.stopped_by_launcher
                   ? "was stopped by the launcher"
                   : "also failed with " + describe_wait_status(*process.wait_status))
           << "; log: " << process.log_path.string() << "\n";
  }
  if (timed_out) {
    report << "cosmos3-launch: timed out after " << options.timeout.count()
           << " s (--timeout); logs in " << options.log_dir.string() << "\n";
    return 124;
  }
  if (interrupt_signal != 0) return 130;
  return first_failure ? 1 : 0;
}

}  // namespace cosmos3::parallel
