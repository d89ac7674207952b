#pragma once
// How many bytes of transformer weights one tensor-parallel rank holds, from the engine's own
// slicing rules (tensor_parallel_slice) and the model's own weight list
// (load_transformer_weights), without reading or allocating any weight: the loader runs
// against tensors on the meta device.

#include "core/model/transformer_config.h"

#include <c10/core/ScalarType.h>

#include <cstdint>

namespace cosmos3::parallel {

// Rank 0's share: with MLP channels split unevenly the first ranks hold one more, so rank 0 is
// the largest. `config` must already have passed plan_head_layout for this tp degree.
int64_t rank_weight_bytes(const model::TransformerConfig& config, int64_t tp,
                          c10::ScalarType dtype);

// What FP8 jobs add to rank 0's weights: the e4m3 copies of the generation tower's GEMM
// weights (model::fp8_generation_linears) with their row scales; the bf16 weights stay.
int64_t rank_fp8_weight_bytes(const model::TransformerConfig& config, int64_t tp);

}  // namespace cosmos3::parallel
