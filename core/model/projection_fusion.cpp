#include "core/model/projection_fusion.h"

#include <ATen/ops/cat.h>

#include <vector>

namespace cosmos3::model {
namespace {

// Concatenates the parts' rows into one Linear and points each part at its rows of it.
Linear fuse_rows(const std::vector<Linear*>& parts) {
  std::vector<at::Tensor> weights;
  std::vector<at::Tensor> biases;
  for (const Linear* part : parts) {
    weights.push_back(part->weight);
    if (part->bias.defined()) {
      biases.push_back(part->bias);
    }
  }
  Linear fused{.weight = at::cat(weights, 0)};
  const bool has_bias = biases.size() == parts.size();
  if (has_bias) {
    fused.bias = at::cat(biases, 0);
  }
  int64_t row = 0;
  for (Linear* part : parts) {
    const int64_t num_rows = part->weight.size(0);
    part->weight = fused.weight.slice(0, row, row + num_rows);
    if (has_bias) {
      part->bias = fused.bias.slice(0, row, row + num_rows);
    }
    row += num_rows;
  }
  return fused;
}

// A bias on some parts only would leave the fused GEMM without one: keep those unfused.
bool biases_agree(const std::vector<Linear*>& parts) {
  const bool first = parts.front()->bias.defined();
  for (const Linear* part : parts) {
    if (part->bias.defined() != first) {
      return false;
    }
  }
  return true;
}

void fuse_mlp(Mlp& mlp) {
  if (mlp.activation != Activation::kSilu || mlp.gate_up.weight.defined()) {
    return;
  }
  const std::vector<Linear*> parts{&mlp.gate, &mlp.up};
  if (biases_agree(parts)) {
    mlp.gate_up = fuse_rows(parts);
  }
}

}  // namespace

void fuse_projections(TransformerWeights& weights) {
  for (DecoderLayerWeights& layer : weights.layers) {
    AttentionWeights& attention = layer.self_attn;
    const std::vector<Linear*> qkv{&attention.add_q_proj, &attention.add_k_proj,
                                   &attention.add_v_proj};
    if (!attention.add_qkv_proj.weight.defined() && biases_agree(qkv)) {
      attention.add_qkv_proj = fuse_rows(qkv);
    }
    fuse_mlp(layer.mlp);
    fuse_mlp(layer.mlp_moe_gen);
  }
}

}  // namespace cosmos3::model
