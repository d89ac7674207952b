#pragma once
// This rank's place in the cfg x (ring x ulysses) x tp grid (parallel/comm/device_mesh.h, tp
// innermost) and the groups the engine talks to: the cp axis is split into Ulysses and ring
// subgroups, cp index c = ring_index * ulysses + ulysses_index.

#include "parallel/comm/world.h"
#include "parallel/engine/parallel_layout.h"

#include <memory>

namespace cosmos3::parallel {

struct RankMesh {
  ParallelDegrees degrees;
  HeadLayout heads;
  int64_t cfg_index = 0;
  int64_t tp_index = 0;
  int64_t cp_index = 0;
  std::shared_ptr<Communicator> cfg;      // cond and uncond ranks of the same (cp, tp) place
  std::shared_ptr<Communicator> tp;       // row-parallel reductions
  std::shared_ptr<Communicator> cp;       // gathers the generation stream
  std::shared_ptr<Communicator> ulysses;  // the all-to-all subgroup of cp
  std::shared_ptr<Communicator> ring;     // the K/V ring subgroup of cp

  // Only one rank writes files and logs results.
  bool writes_outputs() const { return cfg_index == 0 && tp_index == 0 && cp_index == 0; }
};

// Collective over the world: every rank forms every group in the same order.
RankMesh build_rank_mesh(World& world, const ParallelDegrees& degrees, const HeadLayout& heads);

// A world of one: every group a no-op. With ParallelGuidance it gives single-rank runs the
// text K/V cache.
RankMesh single_process_mesh();

// Rank 0 of a `degrees` layout inside one process, every group a ShapeOnlyCommunicator of the
// layout's size (parallel/comm/shape_only_communicator.h): the engine does exactly the compute
// of that rank and moves no data, so one GPU can time a rank of an 8-GPU layout. Results are
// numerically meaningless; for benchmarks only.
RankMesh simulated_rank_mesh(const ParallelDegrees& degrees, const HeadLayout& heads);

}  // namespace cosmos3::parallel
