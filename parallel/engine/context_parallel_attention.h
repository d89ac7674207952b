#pragma once
// The generation stream's attention when its tokens are split over context-parallel ranks.
// The cp ranks form a grid ring x ulysses (cp rank = ring_index * ulysses + ulysses_index):
//  - Ulysses: one all-to-all trades the sequence split for a head split within a group of
//    `ulysses` ranks, [S/P, H, D] -> [S_block, H/U, D], q/k/v packed into one exchange with
//    GQA compact (Hkv KV heads travel, never the expanded Hq); a second brings the output back.
//    Uneven split sizes mean no padding and no mask.
//  - Ring: when the heads do not divide over the whole cp degree, the `ring` groups' blocks of
//    K/V travel around with send_recv and partial outputs merge by log-sum-exp.
// The text stream's K/V are replicated on every rank: each rank slices its Ulysses heads.
//
// Shape legend: S_loc this rank's generation tokens, S_block its Ulysses group's tokens,
// S_und text tokens, Hq/Hkv the rank's (tensor-parallel local) heads, U ulysses degree, D head_dim.

#include "core/model/precision.h"
#include "parallel/comm/communicator.h"
#include "parallel/engine/sequence_split.h"

#include <ATen/core/Tensor.h>

namespace cosmos3::parallel {

class ContextParallelAttention {
 public:
  // `ulysses` and `ring` are the groups this rank belongs to (either may be a group of one).
  ContextParallelAttention(Communicator& ulysses, Communicator& ring);

  // The generation stream's split over all cp ranks, set before each forward.
  void set_split(const SequenceSplit& split) { split_ = split; }

  // q_gen [S_loc, Hq, D], k/v_und [S_und, Hkv, D], k/v_gen [S_loc, Hkv, D] -> [S_loc, Hq, D].
  // `precision` reaches the Ulysses path's kernel (grouped_attention); the ring path merges
  // partial results with their log-sum-exp and stays in the model dtype.
  at::Tensor attend(const at::Tensor& q_gen_SHD, const at::Tensor& k_und_SHD,
                    const at::Tensor& v_und_SHD, const at::Tensor& k_gen_SHD,
                    const at::Tensor& v_gen_SHD, model::Precision precision);

 private:
  struct Block {
    at::Tensor q_SHD, k_SHD, v_SHD;  // [S_block, H/U, D]
  };
  int64_t cp_rank(int64_t ring_index, int64_t ulysses_index) const;
  std::vector<int64_t> ulysses_lengths(int64_t ring_index) const;
  Block sequence_to_heads(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                          const at::Tensor& v_SHD);
  at::Tensor heads_to_sequence(const at::Tensor& out_SHD, int64_t num_query_heads);
  at::Tensor ring_attention(const Block& block, const at::Tensor& k_und_SHD,
                            const at::Tensor& v_und_SHD);

  Communicator& ulysses_;
  Communicator& ring_;
  SequenceSplit split_;
};

}  // namespace cosmos3::parallel
