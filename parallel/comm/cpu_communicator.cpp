#include "parallel/comm/cpu_communicator.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstring>
#include <numeric>

namespace cosmos3::parallel {
namespace {

void check_cpu(const at::Tensor& tensor, const std::string& group, const char* what) {
  TORCH_CHECK(tensor.device().is_cpu(), what, " on CPU group '", group,
              "' needs a CPU tensor, got one on ", tensor.device());
}

// Bytes of one dim-0 row.
std::size_t row_bytes(const at::Tensor& tensor) {
  TORCH_CHECK(tensor.dim() >= 1, "dim-0 collectives need a tensor with at least one dimension");
  int64_t trailing = 1;
  for (int64_t dim = 1; dim < tensor.dim(); ++dim) trailing *= tensor.size(dim);
  return static_cast<std::size_t>(trailing) * tensor.element_size();
}

std::vector<int64_t> offsets_of(const std::vector<int64_t>& sizes) {
  std::vector<int64_t> offsets(sizes.size(), 0);
  std::exclusive_scan(sizes.begin(), sizes.end(), offsets.begin(), int64_t{0});
  return offsets;
}

char* bytes_at(const at::Tensor& tensor, int64_t row, std::size_t bytes_per_row) {
  return static_cast<char*>(tensor.data_ptr()) + static_cast<std::size_t>(row) * bytes_per_row;
}

}  // namespace

CpuCommunicator::CpuCommunicator(std::string name, std::shared_ptr<SocketMesh> mesh,
                                 std::vector<int> world_ranks)
    : name_(std::move(name)),
      mesh_(std::move(mesh)),
      world_ranks_(std::move(world_ranks)),
      group_id_(group_id_of(name_)) {
  const auto own = std::find(world_ranks_.begin(), world_ranks_.end(), mesh_->rank());
  TORCH_CHECK(own != world_ranks_.end(), "rank ", mesh_->rank(), " is not in group '", name_, "'");
  rank_ = static_cast<int>(own - world_ranks_.begin());
}

MessageTag CpuCommunicator::tag(CollectiveKind kind) const { return {kind, group_id_, name_}; }

void CpuCommunicator::all_reduce_sum(at::Tensor& tensor) {
  check_cpu(tensor, name_, "all_reduce_sum");
  if (size() == 1) return;
  // A strided tensor is reduced in a contiguous copy and written back at the end.
  at::Tensor flat = tensor.contiguous().view({-1});
  const int64_t num_ranks = size();
  std::vector<int64_t> chunk_sizes(static_cast<std::size_t>(num_ranks), flat.numel() / num_ranks);
  for (int64_t index = 0; index < flat.numel() % num_ranks; ++index)
    ++chunk_sizes[static_cast<std::size_t>(index)];
  const std::vector<int64_t> chunk_offsets = offsets_of(chunk_sizes);
  const std::size_t element_bytes = flat.element_size();
  const int64_t own_size = chunk_sizes[static_cast<std::size_t>(rank_)];

  // Reduce-scatter: every peer's copy of our chunk lands in its row of `parts`.
  at::Tensor parts = at::empty({num_ranks, own_size}, flat.options());
  std::vector<SendBuffer> sends;
  std::vector<ReceiveBuffer> receives;
  for (int peer = 0; peer < num_ranks; ++peer) {
    const auto index = static_cast<std::size_t>(peer);
    if (peer == rank_) continue;
    sends.push_back({world_rank(peer), bytes_at(flat, chunk_offsets[index], element_bytes),
                     static_cast<std::size_t>(chunk_sizes[index]) * element_bytes});
    receives.push_back({world_rank(peer), bytes_at(parts, peer, own_size * element_bytes),
                        static_cast<std::size_t>(own_size) * element_bytes});
  }
  parts[rank_].copy_(flat.narrow(0, chunk_offsets[static_cast<std::size_t>(rank_)], own_size));
  mesh_->exchange(tag(CollectiveKind::all_reduce_sum), sends, receives);

  // Rank order, not arrival order, so the sum does not depend on timing.
  const bool widen = flat.scalar_type() == at::kHalf || flat.scalar_type() == at::kBFloat16;
  at::Tensor sum = widen ? parts[0].to(at::kFloat) : parts[0].clone();
  for (int64_t peer = 1; peer < num_ranks; ++peer) sum.add_(parts[peer]);
  at::Tensor own_chunk = flat.narrow(0, chunk_offsets[static_cast<std::size_t>(rank_)], own_size);
  own_chunk.copy_(sum);

  // All-gather the summed chunks back into every rank's tensor.
  sends.clear();
  receives.clear();
  for (int peer = 0; peer < num_ranks; ++peer) {
    const auto index = static_cast<std::size_t>(peer);
    if (peer == rank_) continue;
    sends.push_back({world_rank(peer), own_chunk.data_ptr(),
                     static_cast<std::size_t>(own_size) * element_bytes});
    receives.push_back({world_rank(peer), bytes_at(flat, chunk_offsets[index], element_bytes),
                        static_cast<std::size_t>(chunk_sizes[index]) * element_bytes});
  }
  mesh_->exchange(tag(CollectiveKind::all_reduce_sum), sends, receives);
  if (!tensor.is_contiguous()) tensor.copy_(flat.view(tensor.sizes()));
}

void CpuCommunicator::all_to_all(at::Tensor& output, const at::Tensor& input,
                                 const std::vector<int64_t>& output_split_sizes,
                                 const std::vector<int64_t>& input_split_sizes) {
  check_cpu(input, name_, "all_to_all");
  check_cpu(output, name_, "all_to_all");
  const auto num_ranks = static_cast<std::size_t>(size());
  TORCH_CHECK(output_split_sizes.size() == num_ranks && input_split_sizes.size() == num_ranks,
              "all_to_all on group '", name_, "' of ", num_ranks, " ranks got ",
              input_split_sizes.size(), " input and ", output_split_sizes.size(), " output splits");
  TORCH_CHECK(std::accumulate(input_split_sizes.begin(), input_split_sizes.end(), int64_t{0}) ==
                      input.size(0) &&
                  std::accumulate(output_split_sizes.begin(), output_split_sizes.end(),
                                  int64_t{0}) == output.size(0),
              "all_to_all on group '", name_, "': splits do not add up to the rows of input (",
              input.size(0), ") and output (", output.size(0), ")");
  TORCH_CHECK(input.scalar_type() == output.scalar_type() &&
                  input.sizes().slice(1) == output.sizes().slice(1),
              "all_to_all on group '", name_, "': input ", input.sizes(), " ", input.scalar_type(),
              " and output ", output.sizes(), " ", output.scalar_type(), " differ beyond dim 0");
  const at::Tensor source = input.contiguous();
  at::Tensor target = output.is_contiguous() ? output : at::empty(output.sizes(), output.options());
  const std::size_t bytes_per_row = row_bytes(source);
  const auto input_offsets = offsets_of(input_split_sizes);
  const auto output_offsets = offsets_of(output_split_sizes);

  std::vector<SendBuffer> sends;
  std::vector<ReceiveBuffer> receives;
  for (std::size_t peer = 0; peer < num_ranks; ++peer) {
    const std::size_t send_bytes =
        static_cast<std::size_t>(input_split_sizes[peer]) * bytes_per_row;
    const std::size_t receive_bytes =
        static_cast<std::size_t>(output_split_sizes[peer]) * bytes_per_row;
    char* from = bytes_at(source, input_offsets[peer], bytes_per_row);
    char* to = bytes_at(target, output_offsets[peer], bytes_per_row);
    if (static_cast<int>(peer) == rank_) {
      TORCH_CHECK(send_bytes == receive_bytes, "all_to_all on group '", name_,
                  "': this rank sends itself ", input_split_sizes[peer], " rows but expects ",
                  output_split_sizes[peer]);
      if (send_bytes > 0) std::memmove(to, from, send_bytes);
      continue;
    }
    sends.push_back({world_rank(static_cast<int>(peer)), from, send_bytes});
    receives.push_back({world_rank(static_cast<int>(peer)), to, receive_bytes});
  }
  mesh_->exchange(tag(CollectiveKind::all_to_all), sends, receives);
  if (!target.is_same(output)) output.copy_(target);
}

at::Tensor CpuCommunicator::all_gather(const at::Tensor& input,
                                       const std::vector<int64_t>& rows_per_rank) {
  check_cpu(input, name_, "all_gather");
  TORCH_CHECK(rows_per_rank.size() == static_cast<std::size_t>(size()) &&
                  rows_per_rank[static_cast<std::size_t>(rank_)] == input.size(0),
              "all_gather on group '", name_,
              "': rows_per_rank must have one entry per rank and "
              "this rank's entry must equal its input rows (",
              input.size(0), ")");
  const at::Tensor source = input.contiguous();
  std::vector<int64_t> output_shape = source.sizes().vec();
  output_shape[0] = std::accumulate(rows_per_rank.begin(), rows_per_rank.end(), int64_t{0});
  at::Tensor output = at::empty(output_shape, source.options());
  const std::size_t bytes_per_row = row_bytes(source);
  const auto offsets = offsets_of(rows_per_rank);

  std::vector<SendBuffer> sends;
  std::vector<ReceiveBuffer> receives;
  for (int peer = 0; peer < size(); ++peer) {
    const auto index = static_cast<std::size_t>(peer);
    char* to = bytes_at(output, offsets[index], bytes_per_row);
    const std::size_t num_bytes = static_cast<std::size_t>(rows_per_rank[index]) * bytes_per_row;
    if (peer == rank_) {
      if (num_bytes > 0) std::memcpy(to, source.data_ptr(), num_bytes);
      continue;
    }
    sends.push_back({world_rank(peer), source.data_ptr(), source.nbytes()});
    receives.push_back({world_rank(peer), to, num_bytes});
  }
  mesh_->exchange(tag(CollectiveKind::all_gather), sends, receives);
  return output;
}

void CpuCommunicator::broadcast(at::Tensor& tensor, int root) {
  check_cpu(tensor, name_, "broadcast");
  TORCH_CHECK(root >= 0 && root < size(), "broadcast on group '", name_, "' from root ", root,
              " outside 0..", size() - 1);
  at::Tensor buffer = tensor.contiguous();
  std::vector<SendBuffer> sends;
  std::vector<ReceiveBuffer> receives;
  if (rank_ == root) {
    for (int peer = 0; peer < size(); ++peer) {
      if (peer != rank_) sends.push_back({world_rank(peer), buffer.data_ptr(), buffer.nbytes()});
    }
  } else {
    receives.push_back({world_rank(root), buffer.data_ptr(), buffer.nbytes()});
  }
  mesh_->exchange(tag(CollectiveKind::broadcast), sends, receives);
  if (!buffer.is_same(tensor)) tensor.copy_(buffer);
}

void CpuCommunicator::send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) {
  check_cpu(send, name_, "send_recv");
  check_cpu(recv, name_, "send_recv");
  TORCH_CHECK(dst >= 0 && dst < size() && src >= 0 && src < size(), "send_recv on group '", name_,
              "' with dst ", dst, " and src ", src, " outside 0..", size() - 1);
  TORCH_CHECK((dst == rank_) == (src == rank_), "send_recv on group '", name_,
              "': a rank exchanges with itself only in both directions (dst ", dst, ", src ", src,
              ")");
  if (dst == rank_) {
    if (!recv.is_same(send)) recv.copy_(send);
    return;
  }
  const at::Tensor source = send.contiguous();
  at::Tensor target = recv.is_contiguous() ? recv : at::empty(recv.sizes(), recv.options());
  mesh_->exchange(tag(CollectiveKind::send_recv),
                  {{world_rank(dst), source.data_ptr(), source.nbytes()}},
                  {{world_rank(src), target.data_ptr(), target.nbytes()}});
  if (!target.is_same(recv)) recv.copy_(target);
}

void CpuCommunicator::barrier() {
  std::vector<SendBuffer> sends;
  std::vector<ReceiveBuffer> receives;
  for (int peer = 0; peer < size(); ++peer) {
    if (peer == rank_) continue;
    sends.push_back({world_rank(peer), nullptr, 0});
    receives.push_back({world_rank(peer), nullptr, 0});
  }
  mesh_->exchange(tag(CollectiveKind::barrier), sends, receives);
}

}  // namespace cosmos3::parallel
