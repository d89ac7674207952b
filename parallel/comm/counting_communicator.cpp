#include "parallel/comm/counting_communicator.h"

#include <numeric>

namespace cosmos3::parallel {

void CountingCommunicator::record(CollectiveKind kind, int64_t num_bytes) {
  ++num_calls_[static_cast<std::size_t>(kind)];
  num_bytes_[static_cast<std::size_t>(kind)] += num_bytes;
}

int64_t CountingCommunicator::num_calls_total() const {
  return std::accumulate(num_calls_.begin(), num_calls_.end(), int64_t{0});
}

double CountingCommunicator::num_bus_bytes() const {
  const double num_ranks = size();
  if (num_ranks == 1) {
    return 0;
  }
  const auto bytes = [this](CollectiveKind kind) { return static_cast<double>(num_bytes(kind)); };
  const double others = (num_ranks - 1) / num_ranks;
  return 2 * others * bytes(CollectiveKind::all_reduce_sum) +
         others * bytes(CollectiveKind::all_to_all) +
         (num_ranks - 1) * bytes(CollectiveKind::all_gather) + bytes(CollectiveKind::broadcast) +
         bytes(CollectiveKind::send_recv);
}

void CountingCommunicator::reset() {
  num_calls_.fill(0);
  num_bytes_.fill(0);
}

void CountingCommunicator::all_reduce_sum(at::Tensor& tensor) {
  record(CollectiveKind::all_reduce_sum, static_cast<int64_t>(tensor.nbytes()));
  inner_->all_reduce_sum(tensor);
}

void CountingCommunicator::all_to_all(at::Tensor& output, const at::Tensor& input,
                                      const std::vector<int64_t>& output_split_sizes,
                                      const std::vector<int64_t>& input_split_sizes) {
  record(CollectiveKind::all_to_all, static_cast<int64_t>(input.nbytes()));
  inner_->all_to_all(output, input, output_split_sizes, input_split_sizes);
}

at::Tensor CountingCommunicator::all_gather(const at::Tensor& input,
                                            const std::vector<int64_t>& rows_per_rank) {
  record(CollectiveKind::all_gather, static_cast<int64_t>(input.nbytes()));
  return inner_->all_gather(input, rows_per_rank);
}

void CountingCommunicator::broadcast(at::Tensor& tensor, int root) {
  record(CollectiveKind::broadcast, static_cast<int64_t>(tensor.nbytes()));
  inner_->broadcast(tensor, root);
}

void CountingCommunicator::send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) {
  record(CollectiveKind::send_recv, static_cast<int64_t>(send.nbytes()));
  inner_->send_recv(send, dst, recv, src);
}

void CountingCommunicator::barrier() {
  record(CollectiveKind::barrier, 0);
  inner_->barrier();
}

}  // namespace cosmos3::parallel
