#include "parallel/engine/rank_weight_bytes.h"

#include "core/model/fp8_linear.h"
#include "core/model/transformer_weights.h"
#include "core/model/weight_source.h"
#include "parallel/engine/tensor_parallel_weight_source.h"

#include <ATen/ops/empty.h>
#include <c10/core/InferenceMode.h>

namespace cosmos3::parallel {
namespace {

// Hands the loader shape-only tensors of rank 0's slices and counts their elements.
class SliceShapeSource : public model::WeightSource {
 public:
  SliceShapeSource(const model::TransformerConfig& config, int64_t tp) : config_(config), tp_(tp) {}

  bool contains(const std::string&) const override { return true; }
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override {
    const std::vector<int64_t> shape =
        tensor_parallel_slice(name, full_shape, role, config_, /*tp_rank=*/0, tp_)
            .shape_of(full_shape);
    at::Tensor tensor = at::empty(shape, at::TensorOptions().device(c10::kMeta).dtype(at::kFloat));
    num_elements_ += tensor.numel();
    return tensor;
  }

  int64_t num_elements() const { return num_elements_; }

 private:
  model::TransformerConfig config_;
  int64_t tp_;
  int64_t num_elements_ = 0;
};

}  // namespace

int64_t rank_weight_bytes(const model::TransformerConfig& config, int64_t tp,
                          c10::ScalarType dtype) {
  c10::InferenceMode inference_mode;
  SliceShapeSource source(config, tp);
  // The timestep embedder stays fp32 whatever the dtype; it is a few MB, counted at `dtype`.
  model::load_transformer_weights(config, source, dtype, c10::Device(c10::kMeta));
  return source.num_elements() * static_cast<int64_t>(c10::elementSize(dtype));
}

int64_t rank_fp8_weight_bytes(const model::TransformerConfig& config, int64_t tp) {
  c10::InferenceMode inference_mode;
  SliceShapeSource source(config, tp);
  model::TransformerWeights weights =
      model::load_transformer_weights(config, source, at::kBFloat16, c10::Device(c10::kMeta));
  int64_t bytes = 0;
  for (const model::Linear* linear : model::fp8_generation_linears(weights)) {
    // One e4m3 byte per weight, one fp32 scale per output row.
    bytes += linear->weight.numel() + linear->weight.size(0) * 4;
  }
  return bytes;
}

}  // namespace cosmos3::parallel
