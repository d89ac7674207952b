#include "parallel/engine/context_parallel_attention.h"

#include "core/model/model_seams.h"
#include "parallel/engine/partial_attention.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/stack.h>

#include <numeric>

namespace cosmos3::parallel {
namespace {

int64_t sum(const std::vector<int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), int64_t{0});
}

}  // namespace

ContextParallelAttention::ContextParallelAttention(Communicator& ulysses, Communicator& ring)
    : ulysses_(ulysses), ring_(ring) {}

int64_t ContextParallelAttention::cp_rank(int64_t ring_index, int64_t ulysses_index) const {
  return ring_index * ulysses_.size() + ulysses_index;
}

// Token counts of the Ulysses group members of ring block `ring_index`, in group rank order.
std::vector<int64_t> ContextParallelAttention::ulysses_lengths(int64_t ring_index) const {
  std::vector<int64_t> lengths;
  for (int64_t member = 0; member < ulysses_.size(); ++member) {
    lengths.push_back(split_.lengths[cp_rank(ring_index, member)]);
  }
  return lengths;
}

ContextParallelAttention::Block ContextParallelAttention::sequence_to_heads(
    const at::Tensor& q_SHD, const at::Tensor& k_SHD, const at::Tensor& v_SHD) {
  const int64_t num_ulysses = ulysses_.size();
  const int64_t num_local = q_SHD.size(0);
  const int64_t head_dim = q_SHD.size(2);
  const int64_t q_heads = q_SHD.size(1) / num_ulysses;
  const int64_t kv_heads = k_SHD.size(1) / num_ulysses;
  // [S_loc, U, Hq/U + 2 Hkv/U, D] -> rows for member j: [U * S_loc, Hq/U + 2 Hkv/U, D]
  const at::Tensor packed =
      at::cat({q_SHD.view({num_local, num_ulysses, q_heads, head_dim}),
               k_SHD.view({num_local, num_ulysses, kv_heads, head_dim}),
               v_SHD.view({num_local, num_ulysses, kv_heads, head_dim})},
              2)
          .transpose(0, 1)
          .reshape({num_ulysses * num_local, q_heads + 2 * kv_heads, head_dim});
  const std::vector<int64_t> output_lengths = ulysses_lengths(ring_.rank());
  at::Tensor exchanged =
      at::empty({sum(output_lengths), q_heads + 2 * kv_heads, head_dim}, packed.options());
  // Sequence -> heads: [S_loc, Hq + 2 Hkv, D] -> [S_block, (Hq + 2 Hkv)/U, D]
  ulysses_.all_to_all(exchanged, packed, output_lengths,
                      std::vector<int64_t>(num_ulysses, num_local));
  return Block{exchanged.slice(1, 0, q_heads), exchanged.slice(1, q_heads, q_heads + kv_heads),
               exchanged.slice(1, q_heads + kv_heads)};
}

at::Tensor ContextParallelAttention::heads_to_sequence(const at::Tensor& out_SHD,
                                                       int64_t num_query_heads) {
  const int64_t num_ulysses = ulysses_.size();
  const int64_t num_local = split_.lengths[cp_rank(ring_.rank(), ulysses_.rank())];
  const int64_t head_dim = out_SHD.size(2);
  at::Tensor exchanged =
      at::empty({num_ulysses * num_local, out_SHD.size(1), head_dim}, out_SHD.options());
  // Heads -> sequence: [S_block, Hq/U, D] -> [S_loc, Hq, D] (arriving as [U, S_loc, Hq/U, D])
  ulysses_.all_to_all(exchanged, out_SHD.contiguous(), std::vector<int64_t>(num_ulysses, num_local),
                      ulysses_lengths(ring_.rank()));
  return exchanged.view({num_ulysses, num_local, out_SHD.size(1), head_dim})
      .transpose(0, 1)
      .reshape({num_local, num_query_heads, head_dim});
}

at::Tensor ContextParallelAttention::ring_attention(const Block& block, const at::Tensor& k_und_SHD,
                                                    const at::Tensor& v_und_SHD) {
  const int64_t num_ring = ring_.size();
  const int64_t ring_rank = ring_.rank();
  const SequenceSplit blocks = merge_groups(split_, ulysses_.size());
  PartialAttention total;
  merge_partial(total, attend_block(block.q_SHD, k_und_SHD, v_und_SHD));
  // K and V travel together: [S_block, 2, Hkv/U, D].
  at::Tensor kv_current = at::stack({block.k_SHD, block.v_SHD}, 1).contiguous();
  for (int64_t step = 0; step < num_ring; ++step) {
    merge_partial(total,
                  attend_block(block.q_SHD, kv_current.select(1, 0), kv_current.select(1, 1)));
    if (step + 1 == num_ring) {
      break;
    }
    // The block that rank `ring_rank` holds after this step came from ring_rank - step - 1.
    const int64_t source = ((ring_rank - step - 1) % num_ring + num_ring) % num_ring;
    std::vector<int64_t> shape = kv_current.sizes().vec();
    shape[0] = blocks.lengths[source];
    at::Tensor kv_next = at::empty(shape, kv_current.options());
    // Ring step: [S_block(r), 2, Hkv/U, D] to the next rank, [S_block(r-1), ...] from the previous.
    ring_.send_recv(kv_current, static_cast<int>((ring_rank + 1) % num_ring), kv_next,
                    static_cast<int>((ring_rank + num_ring - 1) % num_ring));
    kv_current = kv_next;
  }
  return total.out_SHD.to(block.q_SHD.scalar_type());
}

at::Tensor ContextParallelAttention::attend(
    const at::Tensor& q_gen_SHD, const at::Tensor& k_und_SHD, const at::Tensor& v_und_SHD,
    const at::Tensor& k_gen_SHD, const at::Tensor& v_gen_SHD, model::Precision precision) {
  const int64_t num_ulysses = ulysses_.size();
  Block block{q_gen_SHD, k_gen_SHD, v_gen_SHD};
  at::Tensor k_und_local = k_und_SHD;
  at::Tensor v_und_local = v_und_SHD;
  if (num_ulysses > 1) {
    block = sequence_to_heads(q_gen_SHD, k_gen_SHD, v_gen_SHD);
    // The replicated text K/V: this member's KV heads, matching the heads it now holds.
    const int64_t kv_heads = k_und_SHD.size(1) / num_ulysses;
    const int64_t first = ulysses_.rank() * kv_heads;
    k_und_local = k_und_SHD.slice(1, first, first + kv_heads);
    v_und_local = v_und_SHD.slice(1, first, first + kv_heads);
  }
  const at::Tensor out_SHD =
      ring_.size() > 1
          ? ring_attention(block, k_und_local, v_und_local)
          : model::grouped_attention(block.q_SHD, at::cat({k_und_local, block.k_SHD}, 0),
                                     at::cat({v_und_local, block.v_SHD}, 0), /*is_causal=*/false,
                                     precision);
  return num_ulysses > 1 ? heads_to_sequence(out_SHD, q_gen_SHD.size(1)) : out_SHD;
}

}  // namespace cosmos3::parallel
