// connect_world and the CPU World: a TCPStore for rendezvous and one SocketMesh shared by every
// group, so groups cost no connections.

#include "parallel/comm/cpu_communicator.h"
#include "parallel/comm/noop_communicator.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world.h"
#include "parallel/comm/world_store.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <algorithm>
#include <set>

namespace cosmos3::parallel {
namespace {

class CpuWorld final : public World {
 public:
  CpuWorld(RankEnvironment environment, c10::intrusive_ptr<c10d::Store> store,
           std::shared_ptr<SocketMesh> mesh)
      : environment_(std::move(environment)), store_(std::move(store)), mesh_(std::move(mesh)) {
    world_ = make_group("world", all_ranks());
  }

  const RankEnvironment& environment() const override { return environment_; }
  Backend backend() const override { return Backend::cpu; }
  c10::Device device() const override { return c10::Device(c10::kCPU); }
  std::shared_ptr<Communicator> communicator() override { return world_; }

  std::shared_ptr<Communicator> make_group(const std::string& name,
                                           const std::vector<int>& world_ranks) override {
    check_group_ranks(name, world_ranks, environment_.world_size);
    if (std::find(world_ranks.begin(), world_ranks.end(), environment_.rank) == world_ranks.end()) {
      return nullptr;
    }
    if (world_ranks.size() == 1) return std::make_shared<NoopCommunicator>(name);
    return std::make_shared<CpuCommunicator>(name, mesh_, world_ranks);
  }

 private:
  std::vector<int> all_ranks() const {
    std::vector<int> ranks(static_cast<std::size_t>(environment_.world_size));
    for (int rank = 0; rank < environment_.world_size; ++rank)
      ranks[static_cast<std::size_t>(rank)] = rank;
    return ranks;
  }

  RankEnvironment environment_;
  c10::intrusive_ptr<c10d::Store> store_;  // kept so rank 0's server outlives the rendezvous
  std::shared_ptr<SocketMesh> mesh_;
  std::shared_ptr<Communicator> world_;
};

}  // namespace

void check_group_ranks(const std::string& name, const std::vector<int>& world_ranks,
                       int world_size) {
  const std::set<int> unique(world_ranks.begin(), world_ranks.end());
  const bool in_range =
      !world_ranks.empty() && *unique.begin() >= 0 && *unique.rbegin() < world_size;
  if (!in_range || unique.size() != world_ranks.size()) {
    throw ParallelError("group '" + name + "' needs distinct world ranks in 0.." +
                        std::to_string(world_size - 1) + ", got " +
                        std::to_string(world_ranks.size()) + " ranks that are not");
  }
}

c10::intrusive_ptr<c10d::Store> connect_store(const RankEnvironment& environment) {
  c10d::TCPStoreOptions options;
  options.port = environment.master_port;
  options.isServer = environment.rank == 0;
  options.numWorkers = static_cast<std::size_t>(environment.world_size);
  options.waitWorkers = false;
  options.timeout = environment.timeout;
  try {
    return c10::make_intrusive<c10d::TCPStore>(environment.master_addr, options);
  } catch (const std::exception& error) {
    throw CommunicationError(
        0, "rank " + std::to_string(environment.rank) + " cannot reach the rendezvous store at " +
               environment.master_addr + ":" + std::to_string(environment.master_port) +
               " hosted by rank 0 (" + error.what() +
               "): check COSMOS3_MASTER_ADDR/PORT and rank 0's log");
  }
}

Backend parse_backend(const std::string& text) {
  if (text == "cpu") return Backend::cpu;
  if (text == "nccl") return Backend::nccl;
  throw ParallelError("unknown backend '" + text + "': use 'cpu' or 'nccl'");
}

const char* backend_name(Backend backend) { return backend == Backend::cpu ? "cpu" : "nccl"; }

std::unique_ptr<World> connect_cpu_world(const RankEnvironment& environment) {
  if (environment.world_size == 1) {
    return std::make_unique<CpuWorld>(environment, nullptr, nullptr);
  }
  auto store = connect_store(environment);
  auto mesh = SocketMesh::connect(*store, environment.rank, environment.world_size,
                                  environment.master_addr, environment.timeout);
  auto world = std::make_unique<CpuWorld>(environment, store, std::move(mesh));
  // Every rank is connected to every other once this returns.
  world->communicator()->barrier();
  return world;
}

std::unique_ptr<World> connect_world(const RankEnvironment& environment, Backend backend) {
  if (backend == Backend::nccl) return connect_nccl_world(environment);
  return connect_cpu_world(environment);
}

}  // namespace cosmos3::parallel
