#include "parallel/engine/rank_agreement.h"

#include <ATen/ops/tensor.h>

namespace cosmos3::parallel {

uint64_t agree_on_seed(World& world, uint64_t seed) {
  at::Tensor value =
      at::tensor({static_cast<int64_t>(seed)}, at::TensorOptions(at::kLong)).to(world.device());
  // Rank 0's seed to every rank: [1] -> [1].
  world.communicator()->broadcast(value, 0);
  return static_cast<uint64_t>(value.item<int64_t>());
}

bool agree_on_cancel(World& world, bool cancel_requested) {
  at::Tensor votes = at::tensor({cancel_requested ? 1.0f : 0.0f}).to(world.device());
  // Every rank's vote summed: [1] -> [1].
  world.communicator()->all_reduce_sum(votes);
  return votes.item<float>() > 0;
}

}  // namespace cosmos3::parallel
