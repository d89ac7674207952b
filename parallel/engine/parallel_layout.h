#pragma once
// How one generation is spread over ranks: classifier-free-guidance branches (cfg), Megatron
// tensor parallelism (tp) and context parallelism over the generation stream (cp), and how the
// context-parallel degree splits into Ulysses (heads) and ring (sequence) factors. Validated
// against the model's head counts before anything is loaded.

#include "core/model/transformer_config.h"
#include "parallel/comm/cfg_axis.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cosmos3::parallel {

struct ParallelDegrees {
  // 1; 2: cond and uncond on separate rank groups; 3: transfer's three passes, one group each
  // (a job with fewer passes leaves a group without a pass of its own).
  int cfg = 1;
  int tp = 1;  // Megatron tensor parallelism over both towers
  int cp = 1;  // context parallelism over the generation stream

  int num_ranks() const { return cfg * tp * cp; }
  std::string describe() const;  // "cfg 2 x cp 1 x tp 2"
};

// Which of the model's heads a rank holds and how its context-parallel group works.
struct HeadLayout {
  int64_t num_query_heads = 0;        // the model's
  int64_t num_key_value_heads = 0;    // the model's
  int64_t num_local_query_heads = 0;  // per tensor-parallel rank
  int64_t num_local_key_value_heads = 0;
  // Ulysses all-to-alls split the local heads over `ulysses` ranks; ring attention passes K/V
  // blocks around `ring` ranks. ulysses * ring == cp.
  int64_t ulysses = 1;
  int64_t ring = 1;
};

// Throws LayoutError (a UserError) when the degrees cannot run this model on `world_size`
// ranks, naming every factor, the model's head counts and the valid choices. Needs only the
// config: call it before loading anything.
HeadLayout plan_head_layout(const ParallelDegrees& degrees, int64_t world_size,
                            const model::TransformerConfig& config);

// Tensor-parallel degrees this model accepts: dividing the query heads, and either dividing
// the KV heads or a multiple of them (KV heads then replicated).
std::vector<int64_t> valid_tensor_parallel_degrees(const model::TransformerConfig& config);

// The first KV head rank `tp_rank` holds.
int64_t first_local_key_value_head(int64_t tp_rank, int64_t tp, int64_t num_key_value_heads);

}  // namespace cosmos3::parallel
