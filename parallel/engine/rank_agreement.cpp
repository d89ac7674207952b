#include "parallel/engine/rank_agreement.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/tensor.h>

#include <cstring>

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

std::string agree_on_text(World& world, const std::string& text) {
  const bool is_root = world.environment().rank == 0;
  at::Tensor length =
      at::tensor({static_cast<int64_t>(is_root ? text.size() : 0)}, at::TensorOptions(at::kLong))
          .to(world.device());
  // Rank 0's length to every rank: [1] -> [1].
  world.communicator()->broadcast(length, 0);
  const int64_t num_bytes = length.item<int64_t>();
  if (num_bytes == 0) return {};
  at::Tensor bytes =
      is_root ? at::from_blob(const_cast<char*>(text.data()), {num_bytes}, at::kByte)
                    .to(world.device(), /*non_blocking=*/false, /*copy=*/true)
              : at::empty({num_bytes}, at::TensorOptions(at::kByte).device(world.device()));
  // Rank 0's bytes to every rank: [num_bytes] -> [num_bytes].
  world.communicator()->broadcast(bytes, 0);
  const at::Tensor host = bytes.to(at::kCPU).contiguous();
  return std::string(reinterpret_cast<const char*>(host.const_data_ptr<uint8_t>()),
                     static_cast<size_t>(num_bytes));
}

}  // namespace cosmos3::parallel
