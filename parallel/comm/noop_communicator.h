#pragma once
// The communicator of a group of one: every collective leaves its tensors as they are (the
// whole group already holds the result) and nothing touches the network.

#include "parallel/comm/communicator.h"

namespace cosmos3::parallel {

class NoopCommunicator final : public Communicator {
 public:
  explicit NoopCommunicator(std::string name) : name_(std::move(name)) {}

  int rank() const override { return 0; }
  int size() const override { return 1; }
  const std::string& name() const override { return name_; }

  void all_reduce_sum(at::Tensor& /*tensor*/) override {}
  // [S, ...] -> [S, ...]: the only split is to ourselves.
  void all_to_all(at::Tensor& output, const at::Tensor& input,
                  const std::vector<int64_t>& output_split_sizes,
                  const std::vector<int64_t>& input_split_sizes) override;
  // [S, ...] -> [S, ...]; returns the input itself, not a copy.
  at::Tensor all_gather(const at::Tensor& input,
                        const std::vector<int64_t>& rows_per_rank) override;
  void broadcast(at::Tensor& tensor, int root) override;
  void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) override;
  void barrier() override {}

 private:
  std::string name_;
};

}  // namespace cosmos3::parallel
