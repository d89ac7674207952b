#include "parallel/comm/socket_mesh.h"

#include "parallel/comm/parallel_error.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

namespace cosmos3::parallel {
namespace {

constexpr std::uint32_t kMagic = 0xC05A3C0Du;

struct WireHeader {
  std::uint32_t magic = kMagic;
  std::uint32_t group_id = 0;
  std::uint32_t kind = 0;
  std::uint32_t reserved = 0;
  std::uint64_t num_bytes = 0;
};
static_assert(sizeof(WireHeader) == 24);

// One message in flight: the header, then the payload, as one byte range of
// sizeof(WireHeader) + payload bytes of which `num_done` have moved.
struct Transfer {
  WireHeader header;
  char* payload = nullptr;
  std::size_t payload_bytes = 0;
  std::size_t num_done = 0;
  bool header_checked = false;

  std::size_t total() const { return sizeof(WireHeader) + payload_bytes; }
  bool done() const { return num_done == total(); }

  // The not-yet-moved part as at most two iovecs.
  int remaining(iovec* parts) {
    int num_parts = 0;
    if (num_done < sizeof(WireHeader)) {
      parts[num_parts++] = {reinterpret_cast<char*>(&header) + num_done,
                            sizeof(WireHeader) - num_done};
    }
    const std::size_t payload_done =
        num_done > sizeof(WireHeader) ? num_done - sizeof(WireHeader) : 0;
    if (payload_done < payload_bytes) {
      parts[num_parts++] = {payload + payload_done, payload_bytes - payload_done};
    }
    return num_parts;
  }
};

struct PeerQueues {
  std::deque<Transfer> sends;
  std::deque<Transfer> receives;
};

std::string describe(const MessageTag& tag) {
  return std::string(collective_name(tag.kind)) + " of group '" + tag.group_name + "'";
}

std::string kind_name(std::uint32_t kind) {
  return kind < kNumCollectiveKinds ? std::string(kCollectiveNames[kind])
                                    : "unknown collective " + std::to_string(kind);
}

[[noreturn]] void throw_peer_closed(int rank, int peer, const MessageTag& tag, int error) {
  const std::string cause =
      error == 0 ? "closed its connection"
                 : std::string("broke the connection (") + std::strerror(error) + ")";
  throw CommunicationError(peer, "rank " + std::to_string(rank) + ": rank " + std::to_string(peer) +
                                     " " + cause + " during " + describe(tag) +
                                     "; it probably crashed or threw: see its log (rank-" +
                                     std::to_string(peer) + ".log under cosmos3-launch)");
}

void check_header(int rank, int peer, const MessageTag& tag, const Transfer& expected,
                  const WireHeader& got) {
  if (got.magic == kMagic && got.group_id == tag.group_id &&
      got.kind == static_cast<std::uint32_t>(tag.kind) && got.num_bytes == expected.payload_bytes) {
    return;
  }
  std::string what =
      got.magic != kMagic
          ? std::string("bytes that are not a message header")
          : "a " + std::to_string(got.num_bytes) + "-byte " + kind_name(got.kind) +
                (got.group_id == tag.group_id ? " of the same group" : " of another group");
  throw CommunicationError(
      peer, "rank " + std::to_string(rank) + " expected a " +
                std::to_string(expected.payload_bytes) + "-byte " + describe(tag) +
                " message from rank " + std::to_string(peer) + " but received " + what +
                ": the ranks called collectives in different orders or with different shapes");
}

// Moves as many bytes of the queue head as the socket takes now. Returns true on progress.
bool progress_send(int rank, int peer, int socket_fd, std::deque<Transfer>& sends,
                   const MessageTag& tag) {
  bool progressed = false;
  while (!sends.empty()) {
    Transfer& transfer = sends.front();
    iovec parts[2];
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<std::size_t>(transfer.remaining(parts));
    const ssize_t sent = ::sendmsg(socket_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return progressed;
      throw_peer_closed(rank, peer, tag, errno);
    }
    progressed = true;
    transfer.num_done += static_cast<std::size_t>(sent);
    if (!transfer.done()) return progressed;
    sends.pop_front();
  }
  return progressed;
}

bool progress_receive(int rank, int peer, int socket_fd, std::deque<Transfer>& receives,
                      const MessageTag& tag) {
  bool progressed = false;
  while (!receives.empty()) {
    Transfer& transfer = receives.front();
    iovec parts[2];
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<std::size_t>(transfer.remaining(parts));
    const ssize_t received = ::recvmsg(socket_fd, &message, MSG_DONTWAIT);
    if (received < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return progressed;
      throw_peer_closed(rank, peer, tag, errno);
    }
    if (received == 0) throw_peer_closed(rank, peer, tag, 0);
    progressed = true;
    transfer.num_done += static_cast<std::size_t>(received);
    if (!transfer.header_checked && transfer.num_done >= sizeof(WireHeader)) {
      // The read filled in the peer's header; it must match this rank's tag and length.
      check_header(rank, peer, tag, transfer, transfer.header);
      transfer.header_checked = true;
    }
    if (!transfer.done()) return progressed;
    receives.pop_front();
  }
  return progressed;
}

std::string pending_summary(const std::vector<PeerQueues>& queues) {
  std::string summary;
  for (std::size_t peer = 0; peer < queues.size(); ++peer) {
    const auto& queue = queues[peer];
    if (queue.sends.empty() && queue.receives.empty()) continue;
    summary += summary.empty() ? "" : ", ";
    summary += "rank " + std::to_string(peer) + " (" + std::to_string(queue.sends.size()) +
               " sends, " + std::to_string(queue.receives.size()) + " receives pending)";
  }
  return summary;
}

int first_pending_peer(const std::vector<PeerQueues>& queues) {
  for (std::size_t peer = 0; peer < queues.size(); ++peer) {
    if (!queues[peer].sends.empty() || !queues[peer].receives.empty())
      return static_cast<int>(peer);
  }
  return -1;
}

}  // namespace

SocketMesh::SocketMesh(int rank, std::vector<int> peer_sockets, std::chrono::milliseconds timeout)
    : rank_(rank), peer_sockets_(std::move(peer_sockets)), timeout_(timeout) {}

SocketMesh::~SocketMesh() {
  for (int socket_fd : peer_sockets_) {
    if (socket_fd >= 0) ::close(socket_fd);
  }
}

void SocketMesh::exchange(const MessageTag& tag, const std::vector<SendBuffer>& sends,
                          const std::vector<ReceiveBuffer>& receives) {
  std::vector<PeerQueues> queues(peer_sockets_.size());
  for (const SendBuffer& send : sends) {
    Transfer transfer;
    transfer.header.group_id = tag.group_id;
    transfer.header.kind = static_cast<std::uint32_t>(tag.kind);
    transfer.header.num_bytes = send.num_bytes;
    // sendmsg only reads through the pointer; Transfer shares one type for both directions.
    transfer.payload = static_cast<char*>(const_cast<void*>(send.data));
    transfer.payload_bytes = send.num_bytes;
    queues.at(static_cast<std::size_t>(send.peer)).sends.push_back(transfer);
  }
  for (const ReceiveBuffer& receive : receives) {
    Transfer transfer;
    transfer.header.group_id = tag.group_id;
    transfer.header.kind = static_cast<std::uint32_t>(tag.kind);
    transfer.header.num_bytes = receive.num_bytes;
    transfer.payload = static_cast<char*>(receive.data);
    transfer.payload_bytes = receive.num_bytes;
    queues.at(static_cast<std::size_t>(receive.peer)).receives.push_back(transfer);
  }

  auto last_progress = std::chrono::steady_clock::now();
  std::vector<pollfd> polled;
  std::vector<int> polled_peers;
  while (true) {
    polled.clear();
    polled_peers.clear();
    for (std::size_t peer = 0; peer < queues.size(); ++peer) {
      short events = 0;
      if (!queues[peer].sends.empty()) events |= POLLOUT;
      if (!queues[peer].receives.empty()) events |= POLLIN;
      if (events == 0) continue;
      polled.push_back({peer_sockets_[peer], events, 0});
      polled_peers.push_back(static_cast<int>(peer));
    }
    if (polled.empty()) return;

    const auto waited = std::chrono::steady_clock::now() - last_progress;
    if (waited >= timeout_) {
      const int peer = first_pending_peer(queues);
      throw CommunicationError(
          peer, "rank " + std::to_string(rank_) + " timed out after " +
                    std::to_string(timeout_.count() / 1000) + " s in " + describe(tag) +
                    " waiting for " + pending_summary(queues) +
                    ": the peer hangs or skipped this collective; see its log, or raise "
                    "COSMOS3_COMM_TIMEOUT_S if a step legitimately takes longer");
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_ - waited);
    const int ready = ::poll(polled.data(), polled.size(),
                             static_cast<int>(std::min<long long>(left.count() + 1, 1000)));
    if (ready < 0 && errno != EINTR) {
      throw CommunicationError(-1, std::string("poll failed: ") + std::strerror(errno));
    }
    bool progressed = false;
    for (std::size_t index = 0; ready > 0 && index < polled.size(); ++index) {
      if (polled[index].revents == 0) continue;
      const int peer = polled_peers[index];
      auto& queue = queues[static_cast<std::size_t>(peer)];
      // Errors and hang-ups surface through the send or receive call below.
      const bool error = (polled[index].revents & (POLLERR | POLLHUP)) != 0;
      // Sending first gets our header out before a mismatch found on receive throws, so the
      // peer can report the mismatch too rather than only our closed connection.
      if ((polled[index].revents & POLLOUT) || (error && !queue.sends.empty())) {
        progressed |= progress_send(rank_, peer, polled[index].fd, queue.sends, tag);
      }
      if ((polled[index].revents & POLLIN) || (error && !queue.receives.empty())) {
        progressed |= progress_receive(rank_, peer, polled[index].fd, queue.receives, tag);
      }
    }
    if (progressed) last_progress = std::chrono::steady_clock::now();
  }
}

std::uint32_t group_id_of(const std::string& group_name) {
  std::uint32_t hash = 2166136261u;
  for (const char character : group_name) {
    hash = (hash ^ static_cast<unsigned char>(character)) * 16777619u;
  }
  return hash;
}

}  // namespace cosmos3::parallel
