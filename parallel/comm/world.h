#pragma once
// The world group of a multi-process run and the sub-groups carved out of it, on either
// transport. A rank process does:
//
//   auto world = connect_world(RankEnvironment::from_environment(), Backend::cpu);
//   std::shared_ptr<Communicator> all = world->communicator();
//   auto pair = world->make_group("pair0", {0, 1});   // nullptr on ranks 2, 3, ...

#include "parallel/comm/communicator.h"
#include "parallel/comm/rank_environment.h"

#include <c10/core/Device.h>

#include <memory>
#include <string>
#include <vector>

namespace cosmos3::parallel {

enum class Backend {
  cpu,   // our TCP transport; CPU tensors
  nccl,  // c10d::ProcessGroupNCCL; CUDA tensors, one GPU per rank (COSMOS3_LOCAL_RANK picks it)
};

// "cpu" or "nccl"; throws ParallelError naming the accepted values.
Backend parse_backend(const std::string& text);
const char* backend_name(Backend backend);
// False when this libtorch was built without NCCL (the CPU wheel).
bool nccl_available();

class World {
 public:
  virtual ~World() = default;

  virtual const RankEnvironment& environment() const = 0;
  virtual Backend backend() const = 0;
  // Where this rank's tensors must live for its collectives: the CPU, or cuda:local_rank on
  // the NCCL backend (connect_world makes it the current CUDA device).
  virtual c10::Device device() const = 0;

  // All ranks, named "world".
  virtual std::shared_ptr<Communicator> communicator() = 0;

  // A group of the given world ranks; its rank i is world_ranks[i]. Every world rank calls this
  // with the same arguments in the same order, like torch's new_group; ranks outside the group
  // get nullptr. A group of one is a NoopCommunicator. On the CPU backend the group reuses the
  // world's connections and sends nothing to form. `name` must be unique per group: it tags
  // messages and keys the NCCL rendezvous.
  virtual std::shared_ptr<Communicator> make_group(const std::string& name,
                                                   const std::vector<int>& world_ranks) = 0;
};

// Collective over the world: rank 0 hosts a c10d::TCPStore at master_addr:master_port, the
// others connect to it and the transport rendezvous through it. A world of one connects to
// nothing. Throws CommunicationError when a rank does not show up within environment.timeout.
std::unique_ptr<World> connect_world(const RankEnvironment& environment, Backend backend);

}  // namespace cosmos3::parallel
