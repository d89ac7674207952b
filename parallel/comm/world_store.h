#pragma once
// Pieces shared by the CPU and NCCL worlds; not for the engine.

#include "parallel/comm/rank_environment.h"
#include "parallel/comm/world.h"

#include <c10/util/intrusive_ptr.h>

namespace c10d {
class Store;
}

namespace cosmos3::parallel {

// Rank 0 hosts a TCPStore at master_addr:master_port; the others connect to it.
c10::intrusive_ptr<c10d::Store> connect_store(const RankEnvironment& environment);

// Throws ParallelError unless world_ranks are distinct and within the world.
void check_group_ranks(const std::string& name, const std::vector<int>& world_ranks,
                       int world_size);

std::unique_ptr<World> connect_cpu_world(const RankEnvironment& environment);
// Throws ParallelError on a libtorch built without NCCL.
std::unique_ptr<World> connect_nccl_world(const RankEnvironment& environment);

}  // namespace cosmos3::parallel
