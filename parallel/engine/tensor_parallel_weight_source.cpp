#include "parallel/engine/tensor_parallel_weight_source.h"

#include "parallel/engine/parallel_layout.h"

#include <algorithm>
#include <utility>

namespace cosmos3::parallel {
namespace {

// The k/v projections of both pathways, whose output features are KV heads.
bool is_key_value_projection(const std::string& name) {
  for (const char* projection : {".to_k.", ".to_v.", ".add_k_proj.", ".add_v_proj."}) {
    if (name.find(projection) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Rank `rank`'s contiguous share of `total` features: heads divide evenly (the layout checks
// it), MLP channels need not (Edge's 80 over 3 ranks is 27, 27, 26): a column slice of up/gate
// and the matching row slice of down still sum to the whole MLP.
std::pair<int64_t, int64_t> share(int64_t total, int64_t tp, int64_t rank) {
  const int64_t base = total / tp;
  const int64_t remainder = total % tp;
  return {rank * base + std::min(rank, remainder), base + (rank < remainder ? 1 : 0)};
}

}  // namespace

std::vector<int64_t> TensorParallelSlice::shape_of(const std::vector<int64_t>& full_shape) const {
  std::vector<int64_t> shape = full_shape;
  if (dim >= 0) {
    shape[static_cast<std::size_t>(dim)] = length;
  }
  return shape;
}

TensorParallelSlice tensor_parallel_slice(const std::string& name,
                                          const std::vector<int64_t>& full_shape,
                                          model::ShardRole role,
                                          const model::TransformerConfig& config, int64_t tp_rank,
                                          int64_t tp) {
  switch (role) {
    case model::ShardRole::kReplicated:
      return {};
    case model::ShardRole::kColumn: {
      const int64_t num_kv = config.num_key_value_heads;
      if (is_key_value_projection(name) && tp > num_kv) {
        const int64_t head = first_local_key_value_head(tp_rank, tp, num_kv);
        return {0, head * config.head_dim, config.head_dim};
      }
      const auto [start, length] = share(full_shape[0], tp, tp_rank);
      return {0, start, length};
    }
    case model::ShardRole::kRow: {
      const auto [start, length] = share(full_shape[1], tp, tp_rank);
      return {1, start, length};
    }
  }
  return {};
}

TensorParallelWeightSource::TensorParallelWeightSource(const safetensors::Checkpoint& checkpoint,
                                                       const model::TransformerConfig& config,
                                                       int64_t tp_rank, int64_t tp)
    : checkpoint_(checkpoint), config_(config), tp_rank_(tp_rank), tp_(tp) {}

at::Tensor TensorParallelWeightSource::load(const std::string& name,
                                            const std::vector<int64_t>& full_shape,
                                            model::ShardRole role) {
  model::check_stored_weight(checkpoint_, name, full_shape);
  const TensorParallelSlice slice =
      tensor_parallel_slice(name, full_shape, role, config_, tp_rank_, tp_);
  const at::Tensor tensor =
      slice.dim < 0 ? checkpoint_.load(name)
                    : checkpoint_.load_slice(name, slice.dim, slice.start, slice.length);
  bytes_read_ += static_cast<int64_t>(tensor.nbytes());
  return tensor;
}

}  // namespace cosmos3::parallel
