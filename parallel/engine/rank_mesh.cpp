#include "parallel/engine/rank_mesh.h"

#include "parallel/comm/device_mesh.h"
#include "parallel/comm/noop_communicator.h"
#include "parallel/comm/shape_only_communicator.h"

namespace cosmos3::parallel {

RankMesh build_rank_mesh(World& world, const ParallelDegrees& degrees, const HeadLayout& heads) {
  // cp is split into ring (outer) x ulysses (inner), so cp index = ring * ulysses + u and the
  // combined group {ring, ulysses} is the whole cp axis.
  const DeviceMesh device_mesh(world,
                               {{"cfg", degrees.cfg},
                                {"ring", static_cast<int>(heads.ring)},
                                {"ulysses", static_cast<int>(heads.ulysses)},
                                {"tp", degrees.tp}},
                               {{"ring", "ulysses"}});
  RankMesh mesh;
  mesh.degrees = degrees;
  mesh.heads = heads;
  mesh.cfg_index = device_mesh.coordinate("cfg");
  mesh.tp_index = device_mesh.coordinate("tp");
  mesh.cp_index =
      device_mesh.coordinate("ring") * heads.ulysses + device_mesh.coordinate("ulysses");
  mesh.cfg = device_mesh.group("cfg");
  mesh.tp = device_mesh.group("tp");
  mesh.cp = device_mesh.group(std::vector<std::string>{"ring", "ulysses"});
  mesh.ulysses = device_mesh.group("ulysses");
  mesh.ring = device_mesh.group("ring");
  return mesh;
}

RankMesh single_process_mesh() {
  RankMesh mesh;
  mesh.heads.ulysses = 1;
  mesh.heads.ring = 1;
  mesh.cfg = std::make_shared<NoopCommunicator>("cfg");
  mesh.tp = std::make_shared<NoopCommunicator>("tp");
  mesh.cp = std::make_shared<NoopCommunicator>("cp");
  mesh.ulysses = std::make_shared<NoopCommunicator>("ulysses");
  mesh.ring = std::make_shared<NoopCommunicator>("ring");
  return mesh;
}

RankMesh simulated_rank_mesh(const ParallelDegrees& degrees, const HeadLayout& heads) {
  // Groups of one stay no-ops, as in a real mesh, so the engine takes the same branches.
  const auto group = [](const std::string& name, int64_t size) -> std::shared_ptr<Communicator> {
    if (size == 1) {
      return std::make_shared<NoopCommunicator>(name);
    }
    return std::make_shared<ShapeOnlyCommunicator>(name, static_cast<int>(size));
  };
  RankMesh mesh;
  mesh.degrees = degrees;
  mesh.heads = heads;
  mesh.cfg = group("cfg", degrees.cfg);
  mesh.tp = group("tp", degrees.tp);
  mesh.cp = group("cp", degrees.cp);
  mesh.ulysses = group("ulysses", heads.ulysses);
  mesh.ring = group("ring", heads.ring);
  return mesh;
}

}  // namespace cosmos3::parallel
