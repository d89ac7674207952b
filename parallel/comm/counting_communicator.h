#pragma once
// Wraps any communicator and counts its collectives by kind, so tests can pin the number of
// collectives per layer (the seed PR ran 8 all-to-alls per layer where 2 suffice).

#include "parallel/comm/collective_kind.h"
#include "parallel/comm/communicator.h"

#include <array>
#include <memory>

namespace cosmos3::parallel {

class CountingCommunicator final : public Communicator {
 public:
  explicit CountingCommunicator(std::shared_ptr<Communicator> inner) : inner_(std::move(inner)) {}

  int rank() const override { return inner_->rank(); }
  int size() const override { return inner_->size(); }
  const std::string& name() const override { return inner_->name(); }

  // Counted and forwarded unchanged; shapes as in the wrapped communicator.
  void all_reduce_sum(at::Tensor& tensor) override;
  void all_to_all(at::Tensor& output, const at::Tensor& input,
                  const std::vector<int64_t>& output_split_sizes,
                  const std::vector<int64_t>& input_split_sizes) override;
  at::Tensor all_gather(const at::Tensor& input,
                        const std::vector<int64_t>& rows_per_rank) override;
  void broadcast(at::Tensor& tensor, int root) override;
  void send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) override;
  void barrier() override;

  // Calls of `kind` since construction or the last reset(); calls on a group of one count too,
  // since the engine made them.
  int64_t num_calls(CollectiveKind kind) const {
    return num_calls_[static_cast<std::size_t>(kind)];
  }
  int64_t num_calls_total() const;
  // Payload bytes this rank handed to the collectives (inputs; for all_to_all the input).
  int64_t num_bytes(CollectiveKind kind) const {
    return num_bytes_[static_cast<std::size_t>(kind)];
  }
  // Bytes this rank's links carry for the counted calls, by NCCL's bus-bandwidth convention
  // (what nccl-tests' busbw divides by), for a group of P ranks: all_reduce 2(P-1)/P x payload,
  // all_to_all (P-1)/P x payload, all_gather (P-1) x payload (the other ranks' rows arriving),
  // broadcast and send_recv the payload; nothing on a group of one. Divided by a bus bandwidth
  // it predicts how long the calls take on real links.
  double num_bus_bytes() const;
  void reset();

  Communicator& inner() { return *inner_; }

 private:
  void record(CollectiveKind kind, int64_t num_bytes);

  std::shared_ptr<Communicator> inner_;
  std::array<int64_t, kNumCollectiveKinds> num_calls_{};
  std::array<int64_t, kNumCollectiveKinds> num_bytes_{};
};

}  // namespace cosmos3::parallel
