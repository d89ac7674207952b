#pragma once
// Predicted seconds of one denoising step (every guidance pass the job runs, dealt round the cfg
// groups) on the slowest rank of a cfg x tp x cp layout: the rank's own GEMM and attention
// FLOPs at an effective throughput, plus the bytes its collectives carry at an assumed bus
// bandwidth and a latency per collective, with no overlap (the same pricing cosmos3-bench-parallel
// --simulate-rank uses for the communication it skips). The text stream's K/V are cached after the
// first step, so a step costs the generation stream only.

#include "core/model/transformer_config.h"
#include "parallel/engine/layout_workload.h"
#include "parallel/engine/parallel_layout.h"

namespace cosmos3::parallel {

struct StepCostCoefficients {
  // Effective dense bf16 throughput of one GPU: 3.5e15 FLOPs of a Nano 720x1280x189 step in
  // the 6.74 s one H200 measured (benchmarks/results/parallel_scaling_h200.md), ~53 % of peak.
  double effective_teraflops = 520;
  // As cosmos3-bench-parallel assumes for an NVLink-4 node (see its flags).
  double link_gigabytes_per_second = 300;
  double collective_latency_us = 15;

  // One CPU rank in float32: a few hundred GFLOP/s of a desktop's cores.
  static StepCostCoefficients cpu() { return {0.2, 5, 50}; }
};

struct StepCost {
  double num_flops = 0;      // per step on the slowest rank
  double num_bus_bytes = 0;  // per step, NCCL's bus-bandwidth convention
  double num_collectives = 0;
  double seconds = 0;
};

// `heads` is what plan_head_layout returned for `degrees`.
StepCost predict_step_cost(const model::TransformerConfig& config, const ParallelDegrees& degrees,
                           const HeadLayout& heads, const LayoutWorkload& workload,
                           const StepCostCoefficients& coefficients);

}  // namespace cosmos3::parallel
