#include "parallel/comm/shape_only_communicator.h"

#include "parallel/comm/parallel_error.h"

#include <ATen/ops/empty.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <numeric>

namespace cosmos3::parallel {
namespace {

int64_t sum(const std::vector<int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), int64_t{0});
}

// `destination` ([R, ...]) takes the first rows of `source` ([R', ...], same trailing shape);
// rows beyond R' are zeroed, so no uninitialised memory (NaN, denormals) reaches the kernels.
void fill_rows(at::Tensor destination, const at::Tensor& source) {
  const int64_t num_copied = std::min(destination.size(0), source.size(0));
  if (num_copied > 0 && !destination.is_same(source)) {
    destination.slice(0, 0, num_copied).copy_(source.slice(0, 0, num_copied));
  }
  if (num_copied < destination.size(0)) {
    destination.slice(0, num_copied).zero_();
  }
}

}  // namespace

ShapeOnlyCommunicator::ShapeOnlyCommunicator(std::string name, int size)
    : name_(std::move(name)), size_(size) {
  if (size < 1) {
    throw ParallelError("simulated group '" + name_ + "' needs at least one rank, got " +
                        std::to_string(size));
  }
}

void ShapeOnlyCommunicator::check_peer(int peer, const char* collective) const {
  TORCH_CHECK(peer >= 0 && peer < size_, collective, " on simulated group '", name_, "' of size ",
              size_, " names peer ", peer);
}

void ShapeOnlyCommunicator::all_to_all(at::Tensor& output, const at::Tensor& input,
                                       const std::vector<int64_t>& output_split_sizes,
                                       const std::vector<int64_t>& input_split_sizes) {
  TORCH_CHECK(static_cast<int>(output_split_sizes.size()) == size_ &&
                  static_cast<int>(input_split_sizes.size()) == size_,
              "all_to_all on simulated group '", name_, "' of size ", size_, " takes ", size_,
              " splits each");
  TORCH_CHECK(output.size(0) == sum(output_split_sizes) && input.size(0) == sum(input_split_sizes),
              "all_to_all on simulated group '", name_, "': rows disagree with the splits");
  fill_rows(output, input);
}

at::Tensor ShapeOnlyCommunicator::all_gather(const at::Tensor& input,
                                             const std::vector<int64_t>& rows_per_rank) {
  TORCH_CHECK(static_cast<int>(rows_per_rank.size()) == size_ && rows_per_rank[0] == input.size(0),
              "all_gather on simulated group '", name_, "' of size ", size_,
              ": rows_per_rank must have one entry per rank, this rank's first");
  if (size_ == 1) {
    return input;
  }
  std::vector<int64_t> shape = input.sizes().vec();
  shape[0] = sum(rows_per_rank);
  at::Tensor output = at::empty(shape, input.options());
  int64_t offset = 0;
  for (const int64_t rows : rows_per_rank) {
    fill_rows(output.slice(0, offset, offset + rows), input);
    offset += rows;
  }
  return output;
}

void ShapeOnlyCommunicator::broadcast(at::Tensor& /*tensor*/, int root) {
  check_peer(root, "broadcast");
}

void ShapeOnlyCommunicator::send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) {
  check_peer(dst, "send_recv");
  check_peer(src, "send_recv");
  fill_rows(recv, send);
}

}  // namespace cosmos3::parallel
