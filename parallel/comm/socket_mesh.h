#pragma once
// A full mesh of TCP connections between the ranks of one world: our CPU transport, since the
// torch wheel ships no usable gloo. Every collective of CpuCommunicator is one `exchange`: a
// set of sends and receives that progress together through non-blocking sockets and poll(),
// so two ranks sending each other more than a socket buffer at once cannot deadlock.

#include "parallel/comm/collective_kind.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace c10d {
class Store;
}

namespace cosmos3::parallel {

// What a message belongs to; a receiver that finds a different tag or length on the wire
// reports the mismatch instead of reading garbage.
struct MessageTag {
  CollectiveKind kind = CollectiveKind::barrier;
  std::uint32_t group_id = 0;
  // Names the group in errors, e.g. "cp".
  std::string group_name;
};

struct SendBuffer {
  int peer = 0;  // world rank
  const void* data = nullptr;
  std::size_t num_bytes = 0;
};

struct ReceiveBuffer {
  int peer = 0;  // world rank
  void* data = nullptr;
  std::size_t num_bytes = 0;
};

class SocketMesh {
 public:
  // Collective over the world: each rank publishes a listening address in `store`, connects to
  // every lower rank and accepts every higher one. Throws CommunicationError naming the peer
  // when one does not show up within `timeout`.
  static std::shared_ptr<SocketMesh> connect(c10d::Store& store, int rank, int world_size,
                                             const std::string& master_addr,
                                             std::chrono::milliseconds timeout);

  SocketMesh(const SocketMesh&) = delete;
  SocketMesh& operator=(const SocketMesh&) = delete;
  ~SocketMesh();

  int rank() const { return rank_; }
  int world_size() const { return static_cast<int>(peer_sockets_.size()); }
  std::chrono::milliseconds timeout() const { return timeout_; }

  // Moves every buffer concurrently and returns when all are done. Messages to one peer leave in
  // the order given, and receives from one peer match the sends in order. Throws
  // CommunicationError naming the peer when it closes its connection, sends a message of
  // another tag or length, or stays silent for the timeout. Not thread-safe: one caller.
  void exchange(const MessageTag& tag, const std::vector<SendBuffer>& sends,
                const std::vector<ReceiveBuffer>& receives);

 private:
  SocketMesh(int rank, std::vector<int> peer_sockets, std::chrono::milliseconds timeout);

  int rank_;
  std::vector<int> peer_sockets_;  // -1 for this rank
  std::chrono::milliseconds timeout_;
};

// Stable across processes (unlike std::hash), so ranks agree on a group's id.
std::uint32_t group_id_of(const std::string& group_name);

}  // namespace cosmos3::parallel
