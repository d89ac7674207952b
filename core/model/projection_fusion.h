#pragma once
// Weight fusion at load: the generation pathway's q/k/v projections and each SiLU MLP's gate
// and up projections are concatenated into one weight, so one GEMM makes them all. The
// separate Linear weights become row views of the fused one (no second copy), so the unfused
// path still runs, on the same numbers.

#include "core/model/transformer_weights.h"

namespace cosmos3::model {

// Fuses every layer's projections in place. Worth it only where the fused kernels run (CUDA);
// load_transformer_weights calls it there.
void fuse_projections(TransformerWeights& weights);

}  // namespace cosmos3::model
