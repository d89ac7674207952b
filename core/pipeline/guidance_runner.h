#pragma once
// Where the denoise loop's classifier-free-guidance branches run. The loop asks for every
// branch's prediction of a step (0 cond, 1 uncond); a runner decides which ranks compute which
// branch and through which model seams. The default computes them one after another on this
// rank; parallel/engine's CFG-parallel runner computes each on its own rank group and trades
// the predictions once per step.

#include "core/model/model_seams.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <vector>

namespace cosmos3::pipeline {

// Computes branch `branch`'s prediction through `seams`.
using BranchPrediction = std::function<at::Tensor(int64_t branch, model::ModelSeams& seams)>;

class GuidanceRunner {
 public:
  virtual ~GuidanceRunner() = default;
  // Every branch's prediction, in branch order, on every rank that calls it.
  virtual std::vector<at::Tensor> predict_branches(int64_t num_branches,
                                                   const BranchPrediction& predict) = 0;
};

// Every branch on this rank, through the same seams.
class SequentialGuidance : public GuidanceRunner {
 public:
  explicit SequentialGuidance(model::ModelSeams& seams) : seams_(seams) {}
  std::vector<at::Tensor> predict_branches(int64_t num_branches,
                                           const BranchPrediction& predict) override {
    std::vector<at::Tensor> predictions;
    for (int64_t branch = 0; branch < num_branches; ++branch) {
      predictions.push_back(predict(branch, seams_));
    }
    return predictions;
  }

 private:
  model::ModelSeams& seams_;
};

}  // namespace cosmos3::pipeline
