#include "parallel/engine/cfg_parallel.h"

#include <ATen/ops/stack.h>

namespace cosmos3::parallel {

ParallelGuidance::ParallelGuidance(const RankMesh& mesh, bool cache_text)
    : mesh_(mesh), cache_text_(cache_text) {}

ParallelSeams& ParallelGuidance::seams_for(int64_t branch) {
  if (static_cast<int64_t>(seams_per_branch_.size()) <= branch) {
    seams_per_branch_.resize(static_cast<std::size_t>(branch + 1));
  }
  auto& seams = seams_per_branch_[static_cast<std::size_t>(branch)];
  if (!seams) {
    seams = std::make_unique<ParallelSeams>(mesh_, cache_text_);
  }
  return *seams;
}

std::vector<at::Tensor> ParallelGuidance::predict_branches(
    int64_t num_branches, const pipeline::BranchPrediction& predict) {
  Communicator& cfg = *mesh_.cfg;
  if (cfg.size() == 1 || num_branches == 1) {
    // Without guidance both cfg groups compute the one branch: nothing to trade.
    std::vector<at::Tensor> predictions;
    for (int64_t branch = 0; branch < num_branches; ++branch) {
      predictions.push_back(predict(branch, seams_for(branch)));
    }
    return predictions;
  }
  // Branch b runs on group b % num_groups (with 2 groups and 2 branches: cond on group 0,
  // uncond on group 1). A group with fewer branches than the busiest repeats its last
  // prediction so every group sends as many rows; a group beyond the last branch (fewer
  // branches than groups) computes the last branch, so its rows have the right shape.
  const int64_t num_groups = cfg.size();
  const int64_t mine = cfg.rank();
  const int64_t rows_per_group = (num_branches + num_groups - 1) / num_groups;
  std::vector<at::Tensor> my_rows;
  for (int64_t row = 0; row < rows_per_group; ++row) {
    const int64_t branch = mine + row * num_groups;
    if (branch < num_branches) {
      my_rows.push_back(predict(branch, seams_for(branch)));
    } else if (my_rows.empty()) {
      my_rows.push_back(predict(num_branches - 1, seams_for(num_branches - 1)));
    } else {
      my_rows.push_back(my_rows.back());
    }
  }
  // Each group's rows -> every group's on every rank, group-major:
  // [rows_per_group, ...] -> [num_groups * rows_per_group, ...].
  const at::Tensor all_rows =
      cfg.all_gather(at::stack(my_rows).contiguous(),
                     std::vector<int64_t>(static_cast<std::size_t>(num_groups), rows_per_group));
  std::vector<at::Tensor> predictions;
  for (int64_t branch = 0; branch < num_branches; ++branch) {
    predictions.push_back(all_rows[(branch % num_groups) * rows_per_group + branch / num_groups]);
  }
  return predictions;
}

}  // namespace cosmos3::parallel
