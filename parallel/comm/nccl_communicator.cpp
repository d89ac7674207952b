// The NCCL world and communicator. Without NCCL in libtorch only the stub at the end compiles.

#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world_store.h"

#ifdef USE_C10D_NCCL

#include "parallel/comm/nccl_communicator.h"
#include "parallel/comm/noop_communicator.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/ones.h>
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace cosmos3::parallel {
namespace {

// COSMOS3_NCCL_SINGLE_RANK_GROUPS=1 makes groups of one real NCCL groups instead of no-ops, so a
// single-GPU machine can exercise every NCCL call (cosmos3-comm-selftest).
bool single_rank_groups_use_nccl() {
  const char* value = std::getenv("COSMOS3_NCCL_SINGLE_RANK_GROUPS");
  return value != nullptr && std::string(value) == "1";
}

void check_cuda(const at::Tensor& tensor, const std::string& group, const char* what) {
  TORCH_CHECK(tensor.device().is_cuda(), what, " on NCCL group '", group,
              "' needs a CUDA tensor, got one on ", tensor.device());
}

class NcclWorld final : public World {
 public:
  NcclWorld(RankEnvironment environment, c10::intrusive_ptr<c10d::Store> store)
      : environment_(std::move(environment)), store_(std::move(store)) {
    std::vector<int> all(static_cast<std::size_t>(environment_.world_size));
    std::iota(all.begin(), all.end(), 0);
    world_ = make_group("world", all);
  }

  const RankEnvironment& environment() const override { return environment_; }
  Backend backend() const override { return Backend::nccl; }
  c10::Device device() const override {
    return {c10::kCUDA, static_cast<c10::DeviceIndex>(environment_.local_rank)};
  }
  std::shared_ptr<Communicator> communicator() override { return world_; }

  std::shared_ptr<Communicator> make_group(const std::string& name,
                                           const std::vector<int>& world_ranks) override {
    check_group_ranks(name, world_ranks, environment_.world_size);
    const auto own = std::find(world_ranks.begin(), world_ranks.end(), environment_.rank);
    if (own == world_ranks.end()) return nullptr;
    if (world_ranks.size() == 1 && !single_rank_groups_use_nccl()) {
      return std::make_shared<NoopCommunicator>(name);
    }
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = environment_.timeout;
    // Each group rendezvous under its own prefix, so groups never read each other's NCCL ids.
    auto group_store = c10::make_intrusive<c10d::PrefixStore>("cosmos3/nccl/" + name, store_);
    const int rank = static_cast<int>(own - world_ranks.begin());
    const int size = static_cast<int>(world_ranks.size());
    auto process_group =
        c10::make_intrusive<c10d::ProcessGroupNCCL>(group_store, rank, size, options);
    return std::make_shared<NcclCommunicator>(name, std::move(process_group), rank, size);
  }

 private:
  RankEnvironment environment_;
  c10::intrusive_ptr<c10d::Store> store_;
  std::shared_ptr<Communicator> world_;
};

}  // namespace

bool nccl_available() { return true; }

std::unique_ptr<World> connect_nccl_world(const RankEnvironment& environment) {
  const int num_devices = c10::cuda::device_count();
  if (environment.local_world_size > num_devices) {
    throw LayoutError(std::to_string(environment.local_world_size) +
                      " ranks on this host but this process sees " + std::to_string(num_devices) +
                      " CUDA devices: the NCCL backend needs one GPU per rank; launch at most " +
                      std::to_string(num_devices) +
                      " ranks here, check CUDA_VISIBLE_DEVICES, or use --backend cpu");
  }
  // Rank r of this host drives GPU r; NCCL refuses two ranks on one GPU.
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(environment.local_rank));
  c10::intrusive_ptr<c10d::Store> store;
  if (environment.world_size > 1) {
    store = connect_store(environment);
  } else {
    store = c10::make_intrusive<c10d::HashStore>();
  }
  return std::make_unique<NcclWorld>(environment, store);
}

NcclCommunicator::NcclCommunicator(std::string name,
                                   c10::intrusive_ptr<c10d::Backend> process_group, int rank,
                                   int size)
    : name_(std::move(name)), process_group_(std::move(process_group)), rank_(rank), size_(size) {}

NcclCommunicator::~NcclCommunicator() {
  // A clean NCCL teardown; without it torch warns that destroy_process_group was not called.
  try {
    process_group_->shutdown();
  } catch (const std::exception&) {
    // Shutting down after a peer failed may throw; the process is ending that group anyway.
  }
}

void NcclCommunicator::all_reduce_sum(at::Tensor& tensor) {
  check_cuda(tensor, name_, "all_reduce_sum");
  at::Tensor buffer = tensor.contiguous();
  std::vector<at::Tensor> tensors{buffer};
  process_group_->allreduce(tensors)->wait();
  if (!buffer.is_same(tensor)) tensor.copy_(buffer);
}

void NcclCommunicator::all_to_all(at::Tensor& output, const at::Tensor& input,
                                  const std::vector<int64_t>& output_split_sizes,
                                  const std::vector<int64_t>& input_split_sizes) {
  check_cuda(input, name_, "all_to_all");
  check_cuda(output, name_, "all_to_all");
  TORCH_CHECK(output_split_sizes.size() == static_cast<std::size_t>(size_) &&
                  input_split_sizes.size() == static_cast<std::size_t>(size_),
              "all_to_all on group '", name_, "' needs one split per rank");
  at::Tensor source = input.contiguous();
  at::Tensor target = output.is_contiguous() ? output : at::empty(output.sizes(), output.options());
  std::vector<int64_t> output_splits = output_split_sizes;
  std::vector<int64_t> input_splits = input_split_sizes;
  process_group_->alltoall_base(target, source, output_splits, input_splits)->wait();
  if (!target.is_same(output)) output.copy_(target);
}

at::Tensor NcclCommunicator::all_gather(const at::Tensor& input,
                                        const std::vector<int64_t>& rows_per_rank) {
  check_cuda(input, name_, "all_gather");
  TORCH_CHECK(rows_per_rank.size() == static_cast<std::size_t>(size_) &&
                  rows_per_rank[static_cast<std::size_t>(rank_)] == input.size(0),
              "all_gather on group '", name_, "': rows_per_rank must match the input rows");
  const int64_t max_rows = *std::max_element(rows_per_rank.begin(), rows_per_rank.end());
  std::vector<int64_t> padded_shape = input.sizes().vec();
  padded_shape[0] = max_rows;
  at::Tensor padded = at::empty(padded_shape, input.options());
  padded.narrow(0, 0, input.size(0)).copy_(input);
  std::vector<int64_t> gathered_shape = padded_shape;
  gathered_shape[0] = max_rows * size_;
  at::Tensor gathered = at::empty(gathered_shape, input.options());
  process_group_->_allgather_base(gathered, padded)->wait();
  const bool even = std::all_of(rows_per_rank.begin(), rows_per_rank.end(),
                                [&](int64_t rows) { return rows == max_rows; });
  if (even) return gathered;
  std::vector<int64_t> output_shape = padded_shape;
  output_shape[0] = std::accumulate(rows_per_rank.begin(), rows_per_rank.end(), int64_t{0});
  at::Tensor output = at::empty(output_shape, input.options());
  int64_t row = 0;
  for (int peer = 0; peer < size_; ++peer) {
    const int64_t rows = rows_per_rank[static_cast<std::size_t>(peer)];
    output.narrow(0, row, rows).copy_(gathered.narrow(0, peer * max_rows, rows));
    row += rows;
  }
  return output;
}

void NcclCommunicator::broadcast(at::Tensor& tensor, int root) {
  check_cuda(tensor, name_, "broadcast");
  at::Tensor buffer = tensor.contiguous();
  std::vector<at::Tensor> tensors{buffer};
  c10d::BroadcastOptions options;
  options.rootRank = root;
  process_group_->broadcast(tensors, options)->wait();
  if (!buffer.is_same(tensor)) tensor.copy_(buffer);
}

void NcclCommunicator::send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) {
  check_cuda(send, name_, "send_recv");
  check_cuda(recv, name_, "send_recv");
  if (dst == rank_ && src == rank_) {
    if (!recv.is_same(send)) recv.copy_(send);
    return;
  }
  std::vector<at::Tensor> sent{send.contiguous()};
  at::Tensor target = recv.is_contiguous() ? recv : at::empty(recv.sizes(), recv.options());
  std::vector<at::Tensor> received{target};
  process_group_->startCoalescing();
  process_group_->send(sent, dst, 0);
  process_group_->recv(received, src, 0);
  process_group_->endCoalescing()->wait();
  if (!target.is_same(recv)) recv.copy_(target);
}

void NcclCommunicator::barrier() {
  // A one-element all-reduce on our own device: NCCL's barrier guesses the device instead.
  at::Tensor token = at::ones({1}, at::TensorOptions().dtype(at::kFloat).device(at::kCUDA));
  all_reduce_sum(token);
  token.item<float>();
}

}  // namespace cosmos3::parallel

#else

namespace cosmos3::parallel {

bool nccl_available() { return false; }

std::unique_ptr<World> connect_nccl_world(const RankEnvironment& /*environment*/) {
  throw ParallelError(
      "this build's libtorch has no NCCL (a CPU wheel): use --backend cpu, or "
      "rebuild against a CUDA libtorch");
}

}  // namespace cosmos3::parallel

#endif
