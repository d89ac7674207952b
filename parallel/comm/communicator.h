#pragma once
// The collectives the parallel engine needs, behind one interface so that NCCL on GPUs and our
// own CPU transport (tests, CPU runs) share a single code path. Every collective is called by
// every rank of the group in the same order. A group of size 1 is a no-op for every collective.
//
// Shape legend: P group size, S tokens, H heads, D head_dim.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cosmos3::parallel {

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Names the group in logs and errors, e.g. "cp" or "tp".
  virtual const std::string& name() const = 0;

  // In place: every rank ends with the elementwise sum over the group. [any] -> [same].
  virtual void all_reduce_sum(at::Tensor& tensor) = 0;

  // Rank r's input rows [input_offsets[j], +input_split_sizes[j]) go to rank j, where they land
  // at output rows for source r. Splits are along dim 0; `output` is preallocated with
  // sum(output_split_sizes) rows and the input's trailing shape.
  // [sum(in_splits), ...] -> [sum(out_splits), ...]
  virtual void all_to_all(at::Tensor& output, const at::Tensor& input,
                          const std::vector<int64_t>& output_split_sizes,
                          const std::vector<int64_t>& input_split_sizes) = 0;

  // Concatenates every rank's `input` along dim 0 in rank order; inputs may differ in rows.
  // [S_r, ...] on rank r -> [sum_r S_r, ...] on every rank.
  virtual at::Tensor all_gather(const at::Tensor& input,
                                const std::vector<int64_t>& rows_per_rank) = 0;

  // In place: every rank ends with root's tensor. [any] -> [same].
  virtual void broadcast(at::Tensor& tensor, int root) = 0;

  // Sends `send` to rank `dst` and receives into `recv` from rank `src` in one step (ring
  // exchanges); both tensors contiguous.
  virtual void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) = 0;

  virtual void barrier() = 0;
};

}  // namespace cosmos3::parallel
