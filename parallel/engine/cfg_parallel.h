#pragma once
// Classifier-free guidance over rank groups: with a cfg axis of 2, the cond group computes
// only the cond prediction and the uncond group only the uncond one, and the two trade their
// predictions once per step, so every rank continues the loop with both (and, drawing from
// equally seeded generators, the same noise). With a cfg axis of 1 every branch runs here.
// Branches are dealt round the groups, branch b on group b % groups: transfer's up to three
// passes on two groups, or one group per pass on three. A group left without a branch (fewer
// branches than groups, e.g. a guided vision job on cfg 3) has no pass of its own that step;
// it recomputes the last branch, whose rows give the trade its shape (no step time lost, the
// groups run side by side; the result is never read).
// Each branch has its own seams, so each keeps its own text K/V cache across steps.

#include "core/pipeline/guidance_runner.h"
#include "parallel/engine/parallel_seams.h"

#include <memory>
#include <vector>

namespace cosmos3::parallel {

class ParallelGuidance : public pipeline::GuidanceRunner {
 public:
  explicit ParallelGuidance(const RankMesh& mesh, bool cache_text = true);

  std::vector<at::Tensor> predict_branches(int64_t num_branches,
                                           const pipeline::BranchPrediction& predict) override;

  // The seams branch `branch` runs through on this rank (created on first use).
  ParallelSeams& seams_for(int64_t branch);

 private:
  const RankMesh& mesh_;
  bool cache_text_;
  std::vector<std::unique_ptr<ParallelSeams>> seams_per_branch_;
};

}  // namespace cosmos3::parallel
