#include "parallel/engine/random_rank_weight_source.h"

#include "parallel/engine/tensor_parallel_weight_source.h"

namespace cosmos3::parallel {

RandomRankWeightSource::RandomRankWeightSource(const model::TransformerConfig& config,
                                               int64_t tp_rank, int64_t tp, c10::Device device,
                                               c10::ScalarType dtype, uint64_t seed)
    : random_(device, dtype, seed), config_(config), tp_rank_(tp_rank), tp_(tp) {}

at::Tensor RandomRankWeightSource::load(const std::string& name,
                                        const std::vector<int64_t>& full_shape,
                                        model::ShardRole role) {
  const TensorParallelSlice slice =
      tensor_parallel_slice(name, full_shape, role, config_, tp_rank_, tp_);
  at::Tensor tensor = random_.load(name, slice.shape_of(full_shape), role);
  num_bytes_made_ += static_cast<int64_t>(tensor.nbytes());
  return tensor;
}

}  // namespace cosmos3::parallel
