#pragma once
// A stand-in for one rank's group of `size` ranks inside a single process, for benchmarking the
// compute one rank of a multi-GPU layout does when only one GPU is at hand. It is rank 0 of its
// group (the rank given the largest share of uneven splits) and moves no data: every collective
// returns tensors of the shapes a real group would, filled with this rank's own values (zeros
// where it has none), so the engine runs every GEMM and attention of that rank at the right
// size. The results are numerically meaningless; wrap it in CountingCommunicator to learn what
// the real collectives would move.

#include "parallel/comm/communicator.h"

namespace cosmos3::parallel {

class ShapeOnlyCommunicator final : public Communicator {
 public:
  // Throws ParallelError unless size >= 1.
  ShapeOnlyCommunicator(std::string name, int size);

  int rank() const override { return 0; }
  int size() const override { return size_; }
  const std::string& name() const override { return name_; }

  // Left as is: every rank would hold the sum, whose value does not matter here.
  void all_reduce_sum(at::Tensor& /*tensor*/) override {}
  // [sum(in_splits), ...] -> [sum(out_splits), ...]: the output's rows are this rank's input
  // rows, repeated or cut to length.
  void all_to_all(at::Tensor& output, const at::Tensor& input,
                  const std::vector<int64_t>& output_split_sizes,
                  const std::vector<int64_t>& input_split_sizes) override;
  // [S_0, ...] -> [sum_r S_r, ...]: every rank's slot holds a copy of this rank's rows.
  at::Tensor all_gather(const at::Tensor& input,
                        const std::vector<int64_t>& rows_per_rank) override;
  // Left as is: this rank stands for the root as well.
  void broadcast(at::Tensor& tensor, int root) override;
  // `recv` takes `send`'s rows, cut to length or padded with zeros.
  void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) override;
  void barrier() override {}

 private:
  void check_peer(int peer, const char* collective) const;

  std::string name_;
  int size_;
};

}  // namespace cosmos3::parallel
