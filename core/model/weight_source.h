#pragma once
// Where the model's weights come from. The model asks for each tensor by its checkpoint name
// with the full shape the config implies and how tensor parallelism may split it; a source
// for one rank returns the whole tensor, a tensor-parallel source returns that rank's slice.

#include "core/safetensors/checkpoint.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace cosmos3::model {

// How Megatron-style tensor parallelism splits a weight.
enum class ShardRole {
  kReplicated,  // every rank holds all of it
  kColumn,      // split along dim 0: output features (q/k/v, gate/up)
  kRow,         // split along dim 1: input features (out, down)
};

class WeightSource {
 public:
  virtual ~WeightSource() = default;
  virtual bool contains(const std::string& name) const = 0;
  // A tensor in a floating dtype, on any device. Throws CheckpointError when the tensor is
  // missing, not floating point, or its shape is not `full_shape`.
  virtual at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                          ShardRole role) = 0;
};

// Which component a checkpoint's tensors belong to, for the messages that name the fix
// (e.g. "VAE" and "vae/config.json").
struct WeightOrigin {
  std::string kind = "model";
  std::string config_file = "transformer/config.json";
};

// All of every tensor, for a single rank (the transformer, the VAE, the sound tokenizer).
class CheckpointWeightSource : public WeightSource {
 public:
  explicit CheckpointWeightSource(const safetensors::Checkpoint& checkpoint,
                                  WeightOrigin origin = {})
      : checkpoint_(checkpoint), origin_(std::move(origin)) {}
  bool contains(const std::string& name) const override { return checkpoint_.contains(name); }
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  ShardRole role) override;

 private:
  const safetensors::Checkpoint& checkpoint_;
  WeightOrigin origin_;
};

// Throws CheckpointError unless the tensor is stored, floating point, with shape `full_shape`.
void check_stored_weight(const safetensors::Checkpoint& checkpoint, const std::string& name,
                         const std::vector<int64_t>& full_shape, const WeightOrigin& origin = {});

}  // namespace cosmos3::model
