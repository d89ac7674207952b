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
  TORCH_CHECK(num_branches == cfg.size(), "the cfg axis has ", cfg.size(), " groups for ",
              num_branches, " branches");
  const int64_t mine = cfg.rank();
  const at::Tensor prediction = predict(mine, seams_for(mine));
  // One prediction per group -> both on every rank: [1, ...] -> [2, ...] in branch order.
  const at::Tensor both = cfg.all_gather(prediction.unsqueeze(0).contiguous(), {1, 1});
  return {both[0], both[1]};
}

}  // namespace cosmos3::parallel
