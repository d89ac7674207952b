#include "parallel/comm/rank_process.h"

#include "parallel/comm/parallel_error.h"
#include "parallel/comm/rank_environment.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

extern char** environ;

namespace cosmos3::parallel {
namespace {

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

bool is_rank_variable(const std::string& entry) {
  return entry.rfind("COSMOS3_RANK=", 0) == 0 || entry.rfind("COSMOS3_WORLD_SIZE=", 0) == 0 ||
         entry.rfind("COSMOS3_LOCAL_", 0) == 0 || entry.rfind("COSMOS3_MASTER_", 0) == 0;
}

}  // namespace

std::vector<std::string> rank_environment_block(int rank, int num_ranks, std::uint16_t port) {
  std::vector<std::string> block;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string entry(*variable);
    if (!is_rank_variable(entry)) block.push_back(entry);
  }
  const std::string count = std::to_string(num_ranks);
  block.push_back(std::string(kRankVariable) + "=" + std::to_string(rank));
  block.push_back(std::string(kLocalRankVariable) + "=" + std::to_string(rank));
  block.push_back(std::string(kWorldSizeVariable) + "=" + count);
  block.push_back(std::string(kLocalWorldSizeVariable) + "=" + count);
  block.push_back(std::string(kMasterAddrVariable) + "=127.0.0.1");
  block.push_back(std::string(kMasterPortVariable) + "=" + std::to_string(port));
  return block;
}

// Everything the child needs is prepared before fork, since only async-signal-safe calls are
// allowed after it.
pid_t start_rank_process(std::vector<std::string> command, std::vector<std::string> environment,
                         int output_fd, int fd_to_close) {
  std::vector<char*> argv = pointers_to(command);
  std::vector<char*> envp = pointers_to(environment);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
    throw ParallelError(std::string("cannot start a rank: fork: ") + std::strerror(errno));
  if (pid > 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  if (fd_to_close >= 0) ::close(fd_to_close);
  ::execvpe(argv[0], argv.data(), envp.data());
  const char message[] = "cosmos3: cannot execute the program\n";
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof(message) - 1);
  ::_exit(127);
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return "killed by signal " + std::to_string(WTERMSIG(status)) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : std::string());
  }
  return "status " + std::to_string(status);
}

bool wait_status_failed(int status) { return !WIFEXITED(status) || WEXITSTATUS(status) != 0; }

std::string log_tail(const std::filesystem::path& path, std::size_t num_lines) {
  std::ifstream file(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    lines.push_back(line);
    if (lines.size() > num_lines) lines.pop_front();
  }
  std::string tail;
  for (const auto& line : lines) tail += "    " + line + "\n";
  return tail;
}

std::uint16_t find_free_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (socket_fd < 0 ||
      ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw ParallelError(std::string("cannot find a free TCP port: ") + std::strerror(errno));
  }
  ::close(socket_fd);
  return ntohs(address.sin_port);
}

}  // namespace cosmos3::parallel
