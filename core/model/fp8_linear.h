#pragma once
// Rowwise-scaled FP8 (e4m3) GEMMs through at::_scaled_mm: the weight is quantized once, one
// fp32 scale per output row; the input per token row on the fly, each forward.
//
// Shape legend: S tokens, E input features, N output features.

#include "core/model/model_seams.h"
#include "core/model/precision.h"
#include "core/model/transformer_weights.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace cosmos3::model {

// Adds the e4m3 copy of the weight and its scales to `linear` (the bf16 weight stays: the
// first and last steps and the text tower run in bf16). CUDA bf16 weights only.
void attach_fp8_weight(Linear& linear);

// The generation tower's GEMMs that FP8 forwards run in e4m3, every layer's: q/k/v or their
// fused form, the output projection, the MLP's (gate/up or their fused form, down). Where a
// fused form exists only it is listed: the FP8 forward runs through it. The text tower's GEMMs
// stay bf16.
std::vector<Linear*> fp8_generation_linears(TransformerWeights& weights);

// attach_fp8_weight on every fp8_generation_linears entry that has no copy yet. All or nothing:
// when memory runs out it drops the copies and rethrows c10::OutOfMemoryError.
void attach_fp8_generation_weights(TransformerWeights& weights);

// Drops every e4m3 copy attach_fp8_generation_weights made (the bf16 weights stay).
void detach_fp8_generation_weights(TransformerWeights& weights);

// input_SE @ weight^T in FP8 -> [S, N] bf16, without the bias.
at::Tensor fp8_matmul(const Linear& linear, const at::Tensor& input_SE);

// The linear in `precision`: FP8 where it is asked for and the weight has its e4m3 copy, the
// bf16 at::linear otherwise.
at::Tensor linear_in(Precision precision, const Linear& linear, const at::Tensor& input_SE);

// apply_row_parallel (model_seams.h) in `precision`: the partial sums reduced, then the bias.
at::Tensor row_parallel_in(Precision precision, const Linear& linear, const at::Tensor& input_SE,
                           ModelSeams& seams);

}  // namespace cosmos3::model
