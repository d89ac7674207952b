// Building the mesh: listening sockets, addresses through the store, connect and accept.

#include "parallel/comm/parallel_error.h"
#include "parallel/comm/socket_mesh.h"

#include <torch/csrc/distributed/c10d/Store.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace cosmos3::parallel {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_system(const std::string& what) {
  throw CommunicationError(-1, what + ": " + std::strerror(errno));
}

int listen_on_any_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (socket_fd < 0) throw_system("cannot create a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0;
  if (::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(socket_fd, SOMAXCONN) != 0) {
    throw_system("cannot listen for peer connections");
  }
  return socket_fd;
}

std::uint16_t port_of(int socket_fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw_system("getsockname");
  }
  return ntohs(address.sin_port);
}

sockaddr_in resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw CommunicationError(
        -1, "cannot resolve host '" + host + "' (COSMOS3_MASTER_ADDR or a peer's address)");
  }
  sockaddr_in address = *reinterpret_cast<sockaddr_in*>(found->ai_addr);
  ::freeaddrinfo(found);
  address.sin_port = htons(port);
  return address;
}

// The address peers can reach this host at: the interface the kernel routes to the master by
// (a UDP connect sends nothing), so multi-host runs need no extra configuration.
std::string reachable_host(const std::string& master_addr) {
  const sockaddr_in master = resolve(master_addr, 9);
  const int probe = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  const bool found =
      probe >= 0 &&
      ::connect(probe, reinterpret_cast<const sockaddr*>(&master), sizeof(master)) == 0 &&
      ::getsockname(probe, reinterpret_cast<sockaddr*>(&local), &length) == 0;
  if (probe >= 0) ::close(probe);
  if (!found) return "127.0.0.1";
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &local.sin_addr, text, sizeof(text));
  return text;
}

void write_all_blocking(int socket_fd, const void* data, std::size_t num_bytes, int peer) {
  const char* bytes = static_cast<const char*>(data);
  while (num_bytes > 0) {
    const ssize_t sent = ::send(socket_fd, bytes, num_bytes, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0)
      throw CommunicationError(peer, "lost rank " + std::to_string(peer) + " while connecting");
    bytes += sent;
    num_bytes -= static_cast<std::size_t>(sent);
  }
}

// Higher ranks introduce themselves with their rank on a fresh connection.
int read_peer_rank(int socket_fd, Clock::time_point deadline) {
  std::int32_t peer = -1;
  std::size_t num_read = 0;
  while (num_read < sizeof(peer)) {
    pollfd polled{socket_fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || ::poll(&polled, 1, static_cast<int>(left.count())) == 0) {
      throw CommunicationError(-1, "a peer connected but did not send its rank in time");
    }
    const ssize_t received =
        ::recv(socket_fd, reinterpret_cast<char*>(&peer) + num_read, sizeof(peer) - num_read, 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0)
      throw CommunicationError(-1, "a peer closed its connection while connecting");
    num_read += static_cast<std::size_t>(received);
  }
  return peer;
}

int connect_with_retry(const sockaddr_in& address, int peer, Clock::time_point deadline) {
  while (true) {
    const int socket_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (socket_fd < 0) throw_system("cannot create a socket");
    if (::connect(socket_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
      return socket_fd;
    }
    ::close(socket_fd);
    if (Clock::now() > deadline) {
      throw CommunicationError(
          peer, "cannot connect to rank " + std::to_string(peer) + ": " + std::strerror(errno));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void configure_for_exchange(int socket_fd) {
  const int enable = 1;
  ::setsockopt(socket_fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof(enable));
  ::fcntl(socket_fd, F_SETFL, ::fcntl(socket_fd, F_GETFL) | O_NONBLOCK);
}

std::string address_key(int rank) { return "cosmos3/cpu_mesh/address/" + std::to_string(rank); }

}  // namespace

std::shared_ptr<SocketMesh> SocketMesh::connect(c10d::Store& store, int rank, int world_size,
                                                const std::string& master_addr,
                                                std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const int listen_fd = listen_on_any_port();
  std::vector<int> sockets(static_cast<std::size_t>(world_size), -1);
  try {
    const std::string own_address =
        reachable_host(master_addr) + ":" + std::to_string(port_of(listen_fd));
    store.set(address_key(rank), std::vector<uint8_t>(own_address.begin(), own_address.end()));

    // Lower ranks' listen backlogs take these connections before they call accept, so
    // connecting down and then accepting up cannot deadlock.
    for (int peer = 0; peer < rank; ++peer) {
      std::vector<uint8_t> value;
      try {
        store.wait({address_key(peer)}, timeout);
        value = store.get(address_key(peer));
      } catch (const std::exception& error) {
        throw CommunicationError(
            peer, "rank " + std::to_string(peer) + " never published its address: " + error.what());
      }
      const std::string peer_address(value.begin(), value.end());
      const auto colon = peer_address.rfind(':');
      const auto port = static_cast<std::uint16_t>(std::stoi(peer_address.substr(colon + 1)));
      const int socket_fd =
          connect_with_retry(resolve(peer_address.substr(0, colon), port), peer, deadline);
      sockets[static_cast<std::size_t>(peer)] = socket_fd;
      const std::int32_t own_rank = rank;
      write_all_blocking(socket_fd, &own_rank, sizeof(own_rank), peer);
    }
    for (int num_accepted = 0; num_accepted < world_size - 1 - rank; ++num_accepted) {
      pollfd polled{listen_fd, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0 || ::poll(&polled, 1, static_cast<int>(left.count())) <= 0) {
        throw CommunicationError(-1, "rank " + std::to_string(rank) + " waited " +
                                         std::to_string(timeout.count() / 1000) +
                                         " s for higher ranks to connect; " +
                                         std::to_string(world_size - 1 - rank - num_accepted) +
                                         " never did: see their logs");
      }
      const int socket_fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (socket_fd < 0) throw_system("accept");
      const int peer = read_peer_rank(socket_fd, deadline);
      if (peer <= rank || peer >= world_size || sockets[static_cast<std::size_t>(peer)] >= 0) {
        ::close(socket_fd);
        throw CommunicationError(peer,
                                 "unexpected connection claiming rank " + std::to_string(peer));
      }
      sockets[static_cast<std::size_t>(peer)] = socket_fd;
    }
  } catch (...) {
    ::close(listen_fd);
    for (int socket_fd : sockets) {
      if (socket_fd >= 0) ::close(socket_fd);
    }
    throw;
  }
  ::close(listen_fd);
  for (int socket_fd : sockets) {
    if (socket_fd >= 0) configure_for_exchange(socket_fd);
  }
  return std::shared_ptr<SocketMesh>(new SocketMesh(rank, std::move(sockets), timeout));
}

}  // namespace cosmos3::parallel
