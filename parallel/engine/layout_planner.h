#pragma once
// Every valid cfg x tp x cp layout of a model on a number of ranks, each with its predicted
// memory per rank and seconds per step (measured values from this machine replace them), and
// which one to recommend: the fastest that fits with headroom. Validity is the engine's own
// rule, plan_head_layout, asked for every candidate; nothing here restates it.

#include "core/model/transformer_config.h"
#include "parallel/engine/layout_measurements.h"
#include "parallel/engine/layout_memory_model.h"
#include "parallel/engine/layout_step_cost.h"
#include "parallel/engine/layout_workload.h"
#include "parallel/engine/parallel_layout.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::parallel {

struct LayoutPlanRequest {
  model::TransformerConfig config;
  LayoutWorkload workload;
  int num_ranks = 1;
  // What one rank may use: the smallest free memory of the chosen GPUs. None (CPU ranks):
  // memory is not checked.
  std::optional<int64_t> memory_per_rank_bytes;
  std::string device_name;  // the key measurements are stored under
  MemoryCoefficients memory_coefficients;
  StepCostCoefficients step_coefficients;
  const LayoutMeasurements* measurements = nullptr;
  // Kept free on every GPU: the allocator's fragmentation and what the VAE decode and the
  // CUDA context take beside the denoising peak.
  double headroom_fraction = 0.10;
};

struct LayoutOption {
  ParallelDegrees degrees;
  HeadLayout heads;
  RankMemory predicted_memory;
  int64_t peak_bytes = 0;  // measured if known, else predicted_memory.total_bytes()
  bool peak_measured = false;
  double seconds_per_step = 0;  // measured if known, else predicted
  bool seconds_measured = false;
  bool fits = true;
  std::string reason;  // why it does not fit; empty when it does
  bool recommended = false;
};

// Fastest first. Throws LayoutError when num_ranks < 1.
std::vector<LayoutOption> plan_layouts(const LayoutPlanRequest& request);

// The candidates plan_layouts asks the engine about: cfg from 1 to kMaxCfgDegree, tp and
// cp >= 1 with cfg * tp * cp == num_ranks. cfg 3 is priced like any other: for a job with fewer
// than three passes its third group adds nothing but ranks.
std::vector<ParallelDegrees> candidate_degrees(int num_ranks);

}  // namespace cosmos3::parallel
