#include "parallel/backend/line_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cosmos3::backend {
namespace {

sockaddr_un socket_address(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof(address.sun_path)) {
    throw BackendError("socket path " + path.string() + " is longer than " +
                       std::to_string(sizeof(address.sun_path) - 1) +
                       " bytes: choose a shorter runtime folder (XDG_RUNTIME_DIR)");
  }
  std::strcpy(address.sun_path, path.c_str());
  return address;
}

int new_socket() {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw BackendError(std::string("cannot create a socket: ") + std::strerror(errno));
  return fd;
}

bool someone_listens(const std::filesystem::path& path) {
  try {
    ::close(connect_unix_socket(path));
    return true;
  } catch (const BackendError&) {
    return false;
  }
}

}  // namespace

LineSocket::LineSocket(int fd, std::size_t max_line_bytes)
    : fd_(fd), max_line_bytes_(max_line_bytes) {}

LineSocket::~LineSocket() {
  if (fd_ >= 0) ::close(fd_);
}

void LineSocket::shut_down() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

bool LineSocket::take_buffered_line(std::string& line) {
  const std::size_t newline = buffer_.find('\n');
  if (newline == std::string::npos) return false;
  line.assign(buffer_, 0, newline);
  buffer_.erase(0, newline + 1);
  return true;
}

LineSocket::Read LineSocket::read_line(std::string& line, int timeout_ms) {
  char chunk[65536];
  while (true) {
    if (!discarding_ && take_buffered_line(line)) return Read::kLine;
    if (discarding_) {
      const std::size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        buffer_.erase(0, newline + 1);
        discarding_ = false;
        continue;
      }
      buffer_.clear();
    }
    if (buffer_.size() > max_line_bytes_) {
      // Report once, then drop the rest of this line as it arrives.
      buffer_.clear();
      discarding_ = true;
      return Read::kOversized;
    }
    pollfd polled{fd_, POLLIN, 0};
    const int ready = ::poll(&polled, 1, timeout_ms);
    if (ready == 0) return Read::kTimeout;
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Read::kClosed;
    }
    const ssize_t num_read = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (num_read == 0) return Read::kClosed;
    if (num_read < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Read::kClosed;
    }
    buffer_.append(chunk, static_cast<std::size_t>(num_read));
  }
}

bool LineSocket::write_all(const std::string& line) {
  std::size_t num_sent = 0;
  while (num_sent < line.size()) {
    const ssize_t sent = ::send(fd_, line.data() + num_sent, line.size() - num_sent, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    num_sent += static_cast<std::size_t>(sent);
  }
  return true;
}

std::filesystem::path default_socket_dir() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::filesystem::path dir =
      runtime != nullptr && *runtime != '\0'
          ? std::filesystem::path(runtime) / "cosmos3"
          : std::filesystem::path("/tmp") / ("cosmos3-" + std::to_string(::getuid()));
  return dir;
}

int listen_unix_socket(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error || ::chmod(path.parent_path().c_str(), 0700) != 0) {
    throw BackendError("cannot create the socket folder " + path.parent_path().string() + ": " +
                       (error ? error.message() : std::strerror(errno)));
  }
  if (std::filesystem::exists(path, error)) {
    if (someone_listens(path)) {
      throw BackendError("another backend group already serves " + path.string() +
                         ": stop it, or give this group another socket path");
    }
    std::filesystem::remove(path, error);  // left by a group that was killed
  }
  const int fd = new_socket();
  const sockaddr_un address = socket_address(path);
  // The umask makes the socket 0600 from its first moment; chmod alone would leave a window.
  const mode_t previous_mask = ::umask(0177);
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  ::umask(previous_mask);
  if (bound != 0 || ::listen(fd, 4) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    throw BackendError("cannot listen at " + path.string() + ": " + reason);
  }
  return fd;
}

int connect_unix_socket(const std::filesystem::path& path) {
  const int fd = new_socket();
  const sockaddr_un address = socket_address(path);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    throw BackendError("cannot connect to the backend group at " + path.string() + ": " + reason);
  }
  return fd;
}

}  // namespace cosmos3::backend
