#include "parallel/engine/layout_step_cost.h"

#include <algorithm>
#include <vector>

namespace cosmos3::parallel {
namespace {

int64_t ceil_div(int64_t value, int64_t divisor) { return (value + divisor - 1) / divisor; }

// Bus bytes of a collective over `ranks` moving `payload` bytes per rank: the fraction that
// leaves the rank, (n - 1) / n, as nccl-tests reports for all-reduce halves and all-to-all.
double bus_bytes(double payload, int64_t ranks) {
  return ranks > 1 ? payload * static_cast<double>(ranks - 1) / static_cast<double>(ranks) : 0;
}

// One transformer forward of a pass's generation stream against its cached text keys.
StepCost forward_cost(const model::TransformerConfig& config, const ParallelDegrees& degrees,
                      const HeadLayout& heads, const LayoutWorkload& workload,
                      const LayoutPass& pass) {
  const double element_bytes = static_cast<double>(c10::elementSize(workload.dtype));
  const auto all_tokens = static_cast<double>(pass.num_generation_tokens);
  const auto tokens = static_cast<double>(ceil_div(pass.num_generation_tokens, degrees.cp));
  const auto hidden = static_cast<double>(config.hidden_size);
  const auto head_dim = static_cast<double>(config.head_dim);
  const double query_width = static_cast<double>(heads.num_local_query_heads) * head_dim;
  const double key_value_width = static_cast<double>(heads.num_local_key_value_heads) * head_dim;
  const auto mlp = static_cast<double>(ceil_div(config.intermediate_size, degrees.tp));
  const double num_mlp_matrices = config.hidden_act == model::Activation::kSilu ? 3 : 2;
  const auto layers = static_cast<double>(config.num_hidden_layers);

  const double projections = 2 * tokens * hidden * (2 * query_width + 2 * key_value_width);
  const double mlp_flops = 2 * tokens * hidden * mlp * num_mlp_matrices;
  // Every rank's queries (its cp share, its heads) meet every key: the generation stream's
  // and the cached text's. Ulysses and ring only move where that happens.
  const double attention =
      4 * tokens * (all_tokens + static_cast<double>(pass.num_text_tokens)) * query_width;
  StepCost cost;
  cost.num_flops = layers * (projections + mlp_flops + attention);

  const double residual_bytes = tokens * hidden * element_bytes;
  if (degrees.tp > 1) {  // attention out and MLP down: [S/cp, H] all-reduced
    cost.num_bus_bytes += layers * 2 * 2 * bus_bytes(residual_bytes, degrees.tp);
    cost.num_collectives += layers * 2;
  }
  if (heads.ulysses > 1) {  // q/k/v in, attention out: sequence <-> heads
    const double qkv = tokens * (query_width + 2 * key_value_width) * element_bytes;
    const double out = tokens * query_width * element_bytes;
    cost.num_bus_bytes += layers * (bus_bytes(qkv, heads.ulysses) + bus_bytes(out, heads.ulysses));
    cost.num_collectives += layers * 2;
  }
  if (heads.ring > 1) {  // the K/V block of every other ring rank passes by once
    // After Ulysses a rank holds S / ring tokens of 1 / ulysses of its K/V heads: the same
    // bytes as its cp share of the tokens with all its heads.
    const double block = tokens * 2 * key_value_width * element_bytes;
    cost.num_bus_bytes += layers * static_cast<double>(heads.ring - 1) * block;
    cost.num_collectives += layers * static_cast<double>(heads.ring - 1);
  }
  if (degrees.cp > 1) {  // the output's generation stream gathered: [S/cp, D] -> [S, D]
    const double out = all_tokens * static_cast<double>(config.patch_latent_dim) * element_bytes;
    cost.num_bus_bytes += bus_bytes(out, degrees.cp);
    cost.num_collectives += 1;
  }
  return cost;
}

double seconds_of(const StepCost& cost, const StepCostCoefficients& coefficients) {
  return cost.num_flops / (coefficients.effective_teraflops * 1e12) +
         cost.num_bus_bytes / (coefficients.link_gigabytes_per_second * 1e9) +
         cost.num_collectives * coefficients.collective_latency_us * 1e-6;
}

}  // namespace

StepCost predict_step_cost(const model::TransformerConfig& config, const ParallelDegrees& degrees,
                           const HeadLayout& heads, const LayoutWorkload& workload,
                           const StepCostCoefficients& coefficients) {
  // Pass b runs on cfg group b % cfg (parallel/engine/cfg_parallel.h) and the groups run side
  // by side: a step costs its slowest group. A group without a pass recomputes the last one.
  const std::vector<LayoutPass> passes = workload_passes(workload);
  const auto num_passes = static_cast<int64_t>(passes.size());
  const int64_t rows_per_group = ceil_div(num_passes, degrees.cfg);
  StepCost step;
  for (int64_t group = 0; group < degrees.cfg; ++group) {
    StepCost group_cost;
    for (int64_t row = 0; row < rows_per_group; ++row) {
      const int64_t pass = group + row * degrees.cfg;
      // Past the last pass: row 0 recomputes it (the group has none of its own), later rows
      // repeat the group's last row without computing.
      if (pass >= num_passes && row > 0) break;
      const StepCost forward =
          forward_cost(config, degrees, heads, workload,
                       passes[static_cast<std::size_t>(std::min(pass, num_passes - 1))]);
      group_cost.num_flops += forward.num_flops;
      group_cost.num_bus_bytes += forward.num_bus_bytes;
      group_cost.num_collectives += forward.num_collectives;
    }
    group_cost.seconds = seconds_of(group_cost, coefficients);
    if (group_cost.seconds > step.seconds) step = group_cost;
  }
  if (degrees.cfg > 1 && num_passes > 1) {  // one all-gather of every group's velocities
    const double velocity = static_cast<double>(workload.num_generation_tokens) *
                            static_cast<double>(config.patch_latent_dim) *
                            static_cast<double>(c10::elementSize(workload.dtype));
    step.num_bus_bytes +=
        bus_bytes(static_cast<double>(rows_per_group * degrees.cfg) * velocity, degrees.cfg);
    step.num_collectives += 1;
  }
  step.seconds = seconds_of(step, coefficients);
  return step;
}

}  // namespace cosmos3::parallel
