#pragma once
// Predicted peak memory of one rank of a cfg x tp x cp layout while it denoises: its weights
// (exact, from the engine's slicing rules) plus its activations (a model with named
// coefficients). The activation peak is the larger of two phases:
//  - inside a layer: the residual stream and attention tensors of the rank's cp share of the
//    generation tokens, and its tp share of the MLP's intermediate channels;
//  - around the layers: tensors of the whole generation stream every rank holds (the gathered
//    output, the latents and velocities of the guidance step), which no degree divides.
// The coefficients count "copies" of a [tokens, width] tensor in the model's dtype; they were
// fitted to the peaks cosmos3-bench-parallel measured for Nano on an H200
// (benchmarks/results/parallel_scaling_h200.md) and are checked on the GPU by
// cosmos3-memory-model-check. A calibration file may replace them.

#include "core/model/transformer_config.h"
#include "parallel/engine/layout_workload.h"
#include "parallel/engine/parallel_layout.h"

#include <cstdint>
#include <filesystem>

namespace cosmos3::parallel {

struct MemoryCoefficients {
  // Fitted on Nano 720x1280x189: 1 rank 6.3 GiB of activations, tp 2 4.2, tp 4 3.2 (inside a
  // layer), and the 2.9 GiB floor cp 4 and cp 8 both stop at (around the layers).
  double local_hidden_copies = 6.2;   // x [S / cp, hidden]
  double local_mlp_copies = 4.2;      // x [S / cp, intermediate / tp]
  double full_sequence_copies = 8.6;  // x [S, hidden]

  // {"local_hidden_copies": ..., "local_mlp_copies": ..., "full_sequence_copies": ...}; absent
  // fields keep the fitted values. Throws ConfigError naming the file and field.
  static MemoryCoefficients load(const std::filesystem::path& calibration_file);
};

struct RankMemory {
  int64_t weight_bytes = 0;
  int64_t activation_bytes = 0;
  int64_t total_bytes() const { return weight_bytes + activation_bytes; }
};

// `degrees` must already have passed plan_head_layout for `config`.
RankMemory predict_rank_memory(const model::TransformerConfig& config,
                               const ParallelDegrees& degrees, const LayoutWorkload& workload,
                               const MemoryCoefficients& coefficients = {});

}  // namespace cosmos3::parallel
