#pragma once
// The collectives of communicator.h on c10d::ProcessGroupNCCL, for CUDA tensors on this rank's
// GPU. Each collective is enqueued on NCCL's stream and its Work::wait() makes the caller's
// current CUDA stream wait for it: results are ready for later kernels on that stream, without
// blocking the host. Compiled only when libtorch has NCCL (USE_C10D_NCCL); elsewhere
// connect_world(..., Backend::nccl) throws ParallelError.

#include "parallel/comm/communicator.h"

#include <memory>

namespace c10d {
class Backend;
}

namespace cosmos3::parallel {

class NcclCommunicator final : public Communicator {
 public:
  // `process_group` spans exactly this group; `rank` is this process's rank in it.
  NcclCommunicator(std::string name, c10::intrusive_ptr<c10d::Backend> process_group, int rank,
                   int size);
  ~NcclCommunicator() override;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  const std::string& name() const override { return name_; }

  // [any] -> [same]
  void all_reduce_sum(at::Tensor& tensor) override;
  // [sum(in_splits), ...] -> [sum(out_splits), ...]
  void all_to_all(at::Tensor& output, const at::Tensor& input,
                  const std::vector<int64_t>& output_split_sizes,
                  const std::vector<int64_t>& input_split_sizes) override;
  // [S_r, ...] on rank r -> [sum_r S_r, ...]; uneven rows go through a gather padded to the
  // largest S_r.
  at::Tensor all_gather(const at::Tensor& input,
                        const std::vector<int64_t>& rows_per_rank) override;
  void broadcast(at::Tensor& tensor, int root) override;
  // One coalesced NCCL group of a send and a receive, so rings cannot deadlock.
  void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) override;
  void barrier() override;

 private:
  std::string name_;
  c10::intrusive_ptr<c10d::Backend> process_group_;
  int rank_;
  int size_;
};

}  // namespace cosmos3::parallel
