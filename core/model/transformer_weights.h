#pragma once
// The Cosmos3 transformer's parameters as plain tensors, named after the checkpoint keys.
// Head counts are read from the projection shapes at run time, so a tensor-parallel source
// that returns each rank's slice gives a model with local head counts and no other change.

#include "core/model/transformer_config.h"
#include "core/model/weight_source.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <vector>

namespace cosmos3::model {

struct Linear {
  at::Tensor weight{};  // [out, in]
  at::Tensor bias{};    // [out] or undefined
  // FP8 mode only (fp8_linear.h): the weight in e4m3 and its fp32 scale per output row.
  at::Tensor weight_e4m3{};      // [out, in]
  at::Tensor weight_scale_1N{};  // [1, out]
};

enum class NormKind { kIdentity, kRms, kNemotronRms };

struct Norm {
  NormKind kind = NormKind::kIdentity;
  at::Tensor weight;
  double eps = 1e-6;
};

struct Mlp {
  Activation activation = Activation::kSilu;
  Linear gate;  // silu only
  Linear up;
  Linear down;
  // [gate; up] in one weight (silu only, CUDA only): gate and up are then row views of it, so
  // one GEMM makes both and the fused activation reads them in place.
  Linear gate_up;
};

struct AttentionWeights {
  int64_t head_dim = 0;
  // Understanding (text) pathway.
  Linear to_q, to_k, to_v, to_out;
  Norm norm_q, norm_k;
  // Applied to text keys seen by the generation pathway (Edge); identity elsewhere.
  Norm k_norm_und_for_gen;
  // Generation pathway.
  Linear add_q_proj, add_k_proj, add_v_proj, to_add_out;
  Norm norm_added_q, norm_added_k;
  // [q; k; v] of the generation pathway in one weight (CUDA only); add_q/k/v_proj are then row
  // views of it.
  Linear add_qkv_proj;
};

struct DecoderLayerWeights {
  Norm input_layernorm, input_layernorm_moe_gen;
  Norm post_attention_layernorm, post_attention_layernorm_moe_gen;
  AttentionWeights self_attn;
  Mlp mlp, mlp_moe_gen;
};

// One [in -> out] linear per embodiment domain, stored as embedding rows.
struct DomainAwareLinear {
  int64_t input_size = 0;
  int64_t output_size = 0;
  at::Tensor fc;    // [num_domains, input_size * output_size], rows laid out [in, out]
  at::Tensor bias;  // [num_domains, output_size]
};

struct SoundHeads {
  Linear proj_in, proj_out;
  at::Tensor modality_embed;
};

struct ActionHeads {
  DomainAwareLinear proj_in, proj_out;
  at::Tensor modality_embed;
};

struct TransformerWeights {
  at::Tensor embed_tokens;
  std::vector<DecoderLayerWeights> layers;
  Norm norm, norm_moe_gen;
  Linear proj_in, proj_out;
  // The timestep embedder stays fp32 whatever the model dtype, as in the reference.
  Linear time_linear_1, time_linear_2;
  std::optional<SoundHeads> sound;
  std::optional<ActionHeads> action;
};

// Reads every tensor the config calls for (never lm_head), converted to `dtype` on `device`
// (the time embedder stays fp32). Throws CheckpointError for missing tensors, shapes that
// disagree with the config, and non-floating dtypes.
TransformerWeights load_transformer_weights(const TransformerConfig& config, WeightSource& source,
                                            c10::ScalarType dtype, c10::Device device);

}  // namespace cosmos3::model
