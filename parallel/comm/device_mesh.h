#pragma once
// The ranks of a world arranged as a grid of named axes, with one communicator per axis (or per
// set of axes). Axes are given outermost first and ranks are numbered row-major:
//
//   DeviceMesh mesh(world, {{"cfg", 2}, {"cp", 2}, {"tp", 2}});
//   rank = (cfg_index * 2 + cp_index) * 2 + tp_index
//
// Put the chattiest axis innermost so its peers are consecutive ranks (neighbouring GPUs of one
// host): TP moves ~13x the bytes of Ulysses per layer (facts.md section 5), CFG one prediction
// per step, hence cfg, cp, tp. An axis of degree 1 gets a NoopCommunicator and sends nothing.
//
// Validate degrees with validate_mesh before loading any weights: it is cheap and its message
// names every factor. Head-count rules are the engine's (parallel/engine/parallel_layout.h).

#include "parallel/comm/communicator.h"
#include "parallel/comm/world.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cosmos3::parallel {

struct MeshAxis {
  std::string name;
  int degree = 1;
};

// "cfg 2 x cp 3 x tp 2"
std::string describe_mesh(const std::vector<MeshAxis>& axes);

// Throws LayoutError naming every factor when the axes cannot run on this world: a degree below
// 1, a "cfg" axis above kMaxCfgDegree (cfg_axis.h), a product other than world_size (suggesting
// degrees that fit), or on the NCCL backend more local ranks than visible CUDA devices
// (num_visible_devices < 0 skips that check).
void validate_mesh(const std::vector<MeshAxis>& axes, int world_size, Backend backend,
                   int num_local_ranks, int num_visible_devices);

// Row-major, axes outermost first.
std::vector<int> mesh_coordinates(const std::vector<MeshAxis>& axes, int rank);
int mesh_rank(const std::vector<MeshAxis>& axes, const std::vector<int>& coordinates);

class DeviceMesh {
 public:
  // Collective over the world: validates, then forms every group of every axis (and of each
  // axis set in `combined`, e.g. {{"ring", "ulysses"}} for one cp group spanning both) in the
  // same order on every rank, as World::make_group requires.
  DeviceMesh(World& world, std::vector<MeshAxis> axes,
             const std::vector<std::vector<std::string>>& combined = {});

  const std::vector<MeshAxis>& axes() const { return axes_; }
  int degree(const std::string& axis) const;
  // This rank's index along `axis`; equals its rank in group(axis).
  int coordinate(const std::string& axis) const;
  // The ranks that differ from this one only along `axis`, ordered by their index on it.
  const std::shared_ptr<Communicator>& group(const std::string& axis) const;
  // The group of a combined axis set given to the constructor, ordered row-major over those axes.
  const std::shared_ptr<Communicator>& group(const std::vector<std::string>& axes) const;

 private:
  std::size_t axis_index(const std::string& axis) const;
  std::shared_ptr<Communicator> form_groups(World& world, const std::vector<std::size_t>& varying);

  std::vector<MeshAxis> axes_;
  std::vector<int> coordinates_;
  std::map<std::vector<std::string>, std::shared_ptr<Communicator>> groups_;
};

}  // namespace cosmos3::parallel
