#include "parallel/comm/device_mesh.h"

#include "parallel/comm/cfg_axis.h"
#include "parallel/comm/parallel_error.h"

#include <c10/util/Exception.h>

#include <algorithm>

namespace cosmos3::parallel {
namespace {

int product(const std::vector<MeshAxis>& axes) {
  int num_ranks = 1;
  for (const auto& axis : axes) num_ranks *= axis.degree;
  return num_ranks;
}

// Fills the degrees from innermost outwards with divisors of what is left; gives degrees of
// the same axes whose product is world_size, keeping the outer axes as large as possible.
std::vector<MeshAxis> fitting_degrees(std::vector<MeshAxis> axes, int world_size,
                                      bool inner_first) {
  int left = world_size;
  for (std::size_t step = 0; step < axes.size(); ++step) {
    MeshAxis& axis = axes[inner_first ? axes.size() - 1 - step : step];
    int degree = std::min(std::max(axis.degree, 1), left);
    if (axis.name == "cfg") degree = std::min(degree, kMaxCfgDegree);
    while (left % degree != 0) --degree;
    axis.degree = degree;
    left /= degree;
  }
  // Whatever is left goes to the innermost axis.
  axes.back().degree *= left;
  return axes;
}

}  // namespace

std::string describe_mesh(const std::vector<MeshAxis>& axes) {
  std::string text;
  for (const auto& axis : axes) {
    text += (text.empty() ? "" : " x ") + axis.name + " " + std::to_string(axis.degree);
  }
  return text;
}

void validate_mesh(const std::vector<MeshAxis>& axes, int world_size, Backend backend,
                   int num_local_ranks, int num_visible_devices) {
  TORCH_CHECK(!axes.empty(), "a device mesh needs at least one axis");
  for (const auto& axis : axes) {
    if (axis.degree < 1) {
      throw LayoutError(axis.name + " degree " + std::to_string(axis.degree) + " in " +
                        describe_mesh(axes) + " must be at least 1 (1 switches the axis off)");
    }
    if (axis.name == "cfg" && axis.degree > kMaxCfgDegree) {
      throw LayoutError("cfg degree " + std::to_string(axis.degree) + " in " + describe_mesh(axes) +
                        ": cfg must be 1, 2 or 3 (one rank group per guidance pass; 3 only pays "
                        "for transfer jobs with control guidance and guidance both on)");
    }
  }
  if (product(axes) != world_size) {
    std::string examples = describe_mesh(fitting_degrees(axes, world_size, false));
    const std::string other = describe_mesh(fitting_degrees(axes, world_size, true));
    if (other != examples) examples += " or " + other;
    throw LayoutError(describe_mesh(axes) + " = " + std::to_string(product(axes)) +
                      " ranks, but the world has " + std::to_string(world_size) +
                      ": choose degrees whose product is " + std::to_string(world_size) +
                      ", e.g. " + examples + " (or launch " + std::to_string(product(axes)) +
                      " ranks)");
  }
  if (backend == Backend::nccl && num_visible_devices >= 0 &&
      num_local_ranks > num_visible_devices) {
    throw LayoutError(std::to_string(num_local_ranks) + " ranks on this host for " +
                      describe_mesh(axes) + " but only " + std::to_string(num_visible_devices) +
                      " CUDA devices are visible: the NCCL backend needs one GPU per rank; "
                      "launch fewer ranks or check CUDA_VISIBLE_DEVICES");
  }
}

std::vector<int> mesh_coordinates(const std::vector<MeshAxis>& axes, int rank) {
  std::vector<int> coordinates(axes.size());
  for (std::size_t index = axes.size(); index-- > 0;) {
    coordinates[index] = rank % axes[index].degree;
    rank /= axes[index].degree;
  }
  return coordinates;
}

int mesh_rank(const std::vector<MeshAxis>& axes, const std::vector<int>& coordinates) {
  int rank = 0;
  for (std::size_t index = 0; index < axes.size(); ++index) {
    rank = rank * axes[index].degree + coordinates[index];
  }
  return rank;
}

DeviceMesh::DeviceMesh(World& world, std::vector<MeshAxis> axes,
                       const std::vector<std::vector<std::string>>& combined)
    : axes_(std::move(axes)) {
  const RankEnvironment& environment = world.environment();
  validate_mesh(axes_, environment.world_size, world.backend(), environment.local_world_size, -1);
  coordinates_ = mesh_coordinates(axes_, environment.rank);
  for (std::size_t index = 0; index < axes_.size(); ++index) {
    groups_[{axes_[index].name}] = form_groups(world, {index});
  }
  for (const auto& names : combined) {
    std::vector<std::size_t> varying;
    for (const auto& name : names) varying.push_back(axis_index(name));
    std::sort(varying.begin(), varying.end());
    groups_[names] = form_groups(world, varying);
  }
}

// Every group along the `varying` axes, formed on every rank in rank order of its first member;
// this rank keeps its own.
std::shared_ptr<Communicator> DeviceMesh::form_groups(World& world,
                                                      const std::vector<std::size_t>& varying) {
  int group_size = 1;
  std::string axis_names;
  for (std::size_t index : varying) {
    group_size *= axes_[index].degree;
    axis_names += (axis_names.empty() ? "" : "+") + axes_[index].name;
  }
  std::shared_ptr<Communicator> own;
  for (int first = 0; first < product(axes_); ++first) {
    const std::vector<int> base = mesh_coordinates(axes_, first);
    if (std::any_of(varying.begin(), varying.end(),
                    [&](std::size_t index) { return base[index] != 0; })) {
      continue;  // each group once, from its member with index 0 on the varying axes
    }
    std::vector<int> members;
    for (int member = 0; member < group_size; ++member) {
      std::vector<int> coordinates = base;
      int rest = member;
      for (std::size_t step = varying.size(); step-- > 0;) {
        coordinates[varying[step]] = rest % axes_[varying[step]].degree;
        rest /= axes_[varying[step]].degree;
      }
      members.push_back(mesh_rank(axes_, coordinates));
    }
    auto group = world.make_group(axis_names + "@" + std::to_string(first), members);
    if (group) own = std::move(group);
  }
  TORCH_CHECK(own != nullptr, "rank fell in no ", axis_names, " group");
  return own;
}

std::size_t DeviceMesh::axis_index(const std::string& axis) const {
  for (std::size_t index = 0; index < axes_.size(); ++index) {
    if (axes_[index].name == axis) return index;
  }
  TORCH_CHECK(false, "the mesh ", describe_mesh(axes_), " has no axis '", axis, "'");
}

int DeviceMesh::degree(const std::string& axis) const { return axes_[axis_index(axis)].degree; }

int DeviceMesh::coordinate(const std::string& axis) const { return coordinates_[axis_index(axis)]; }

const std::shared_ptr<Communicator>& DeviceMesh::group(const std::string& axis) const {
  return group(std::vector<std::string>{axis});
}

const std::shared_ptr<Communicator>& DeviceMesh::group(const std::vector<std::string>& axes) const {
  const auto found = groups_.find(axes);
  TORCH_CHECK(found != groups_.end(), "the mesh ", describe_mesh(axes_),
              " formed no group for these axes; pass them as `combined` to the constructor");
  return found->second;
}

}  // namespace cosmos3::parallel
