#pragma once
// Newline-framed messages over a Unix-domain stream socket, and the socket's life: a listening
// socket only its owner can reach (mode 0600 in a 0700 folder) that refuses to take over a path
// another live group still serves. Torch-free and Qt-free: the studio, cosmos3-batch and the
// worker share it.

#include "core/errors.h"

#include <cstddef>
#include <filesystem>
#include <string>

namespace cosmos3::backend {

// A socket that cannot be made, reached or used; the message names the path and the fix.
class BackendError : public UserError {
 public:
  using UserError::UserError;
};

// One connected socket (owns the descriptor) with a read buffer.
class LineSocket {
 public:
  enum class Read { kLine, kOversized, kClosed, kTimeout };

  explicit LineSocket(int fd, std::size_t max_line_bytes);
  ~LineSocket();
  LineSocket(const LineSocket&) = delete;
  LineSocket& operator=(const LineSocket&) = delete;

  int fd() const { return fd_; }
  // Waits up to `timeout_ms` (-1: forever) for one whole line (without its newline). A line
  // longer than the limit is dropped up to its newline and reported once as kOversized.
  Read read_line(std::string& line, int timeout_ms);
  // Writes all of `line` (which ends in a newline); false when the peer is gone.
  bool write_all(const std::string& line);
  void shut_down();

 private:
  bool take_buffered_line(std::string& line);

  int fd_;
  std::size_t max_line_bytes_;
  std::string buffer_;
  bool discarding_ = false;
};

// Where sockets live: $XDG_RUNTIME_DIR/cosmos3 (a 0700 folder), or /tmp/cosmos3-UID without it.
std::filesystem::path default_socket_dir();

// Listens at `path` with mode 0600. A path served by a live group is refused (BackendError
// naming it); a stale one from a killed group is replaced.
int listen_unix_socket(const std::filesystem::path& path);
// Throws BackendError when nothing listens at `path`.
int connect_unix_socket(const std::filesystem::path& path);

}  // namespace cosmos3::backend
