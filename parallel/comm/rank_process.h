#pragma once
// Starting and watching rank processes on this host, shared by cosmos3-launch and the backend
// group's supervisor. Torch-free, so the studio can supervise ranks without linking libtorch.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::parallel {

// This process's environment minus inherited rank variables (a launcher inside a launcher would
// shadow them), plus the rank variables of rank_environment.h for `rank` of `num_ranks` on this
// host, meeting at 127.0.0.1:`port`.
std::vector<std::string> rank_environment_block(int rank, int num_ranks, std::uint16_t port);

// Forks and executes `command` with `environment`, stdout and stderr on `output_fd`; the child
// closes `fd_to_close` (or none when negative) and dies with this process (PDEATHSIG), so a
// supervisor killed outright leaves no ranks behind. Throws ParallelError when fork fails.
pid_t start_rank_process(std::vector<std::string> command, std::vector<std::string> environment,
                         int output_fd, int fd_to_close);

// "exit status 3", "killed by signal 9 (SIGKILL)".
std::string describe_wait_status(int status);
// True unless the process exited with status 0.
bool wait_status_failed(int status);

// The last `num_lines` lines of a log file, each indented by four spaces.
std::string log_tail(const std::filesystem::path& path, std::size_t num_lines);

// A TCP port nobody listens on now; rank 0 binds it moments later.
std::uint16_t find_free_port();

}  // namespace cosmos3::parallel
