#pragma once
// The collectives of communicator.h over our TCP mesh, for contiguous or strided CPU tensors
// of any dtype. Each collective is one or two SocketMesh exchanges with direct peer-to-peer
// messages (no ring), which suits the small groups (<= 8) a single host runs.

#include "parallel/comm/communicator.h"
#include "parallel/comm/socket_mesh.h"

#include <memory>

namespace cosmos3::parallel {

class CpuCommunicator final : public Communicator {
 public:
  // `world_ranks[i]` is the world rank of group rank i; this process must be among them.
  CpuCommunicator(std::string name, std::shared_ptr<SocketMesh> mesh, std::vector<int> world_ranks);

  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(world_ranks_.size()); }
  const std::string& name() const override { return name_; }

  // Reduce-scatter then all-gather of 1/P chunks; each chunk is summed by one rank in rank order
  // (in float for 16-bit types), so every rank ends bit-identical. [any] -> [same].
  void all_reduce_sum(at::Tensor& tensor) override;
  // [sum(in_splits), ...] -> [sum(out_splits), ...]
  void all_to_all(at::Tensor& output, const at::Tensor& input,
                  const std::vector<int64_t>& output_split_sizes,
                  const std::vector<int64_t>& input_split_sizes) override;
  // [S_r, ...] on rank r -> [sum_r S_r, ...]
  at::Tensor all_gather(const at::Tensor& input,
                        const std::vector<int64_t>& rows_per_rank) override;
  // [any] -> [same]; the root sends to every rank directly.
  void broadcast(at::Tensor& tensor, int root) override;
  // Send and receive progress together, so a ring of any message size cannot deadlock.
  void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) override;
  void barrier() override;

 private:
  MessageTag tag(CollectiveKind kind) const;
  int world_rank(int group_rank) const {
    return world_ranks_[static_cast<std::size_t>(group_rank)];
  }

  std::string name_;
  std::shared_ptr<SocketMesh> mesh_;
  std::vector<int> world_ranks_;
  int rank_ = -1;
  std::uint32_t group_id_;
};

}  // namespace cosmos3::parallel
