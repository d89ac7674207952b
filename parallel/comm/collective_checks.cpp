#include "parallel/comm/collective_checks.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/full.h>
#include <ATen/ops/zeros.h>

#include <chrono>
#include <sstream>
#include <thread>

namespace cosmos3::parallel {
namespace {

at::TensorOptions options_for(c10::Device device, c10::ScalarType dtype) {
  return at::TensorOptions().device(device).dtype(dtype);
}

// Small integers, exact in every dtype including bfloat16 (8 significant bits) after sums of up
// to 8 ranks: values stay below 256.
at::Tensor rank_values(int64_t rank, at::IntArrayRef shape, c10::Device device,
                       c10::ScalarType dtype) {
  int64_t numel = 1;
  for (int64_t size : shape) numel *= size;
  at::Tensor codes = at::arange(numel, at::TensorOptions().dtype(at::kLong)).remainder(13) + rank;
  return codes.reshape(shape).to(options_for(device, dtype));
}

// "[5, 7] 0 1 2 3 ..." on one line: the shape and the first few values.
std::string head_of(const at::Tensor& tensor) {
  std::ostringstream text;
  text << tensor.sizes();
  const at::Tensor values = tensor.flatten().to(at::kDouble);
  for (int64_t index = 0; index < std::min<int64_t>(8, values.numel()); ++index) {
    text << " " << values[index].item<double>();
  }
  return text.str();
}

std::string compare(const at::Tensor& actual, const at::Tensor& expected, const std::string& what) {
  const at::Tensor actual_cpu = actual.cpu();
  const at::Tensor expected_cpu = expected.cpu().to(actual_cpu.scalar_type());
  if (actual_cpu.sizes() == expected_cpu.sizes() && at::equal(actual_cpu, expected_cpu)) return "";
  return what + ": got " + head_of(actual_cpu) + " expected " + head_of(expected_cpu);
}

// Rows rank `source` sends rank `destination` in the all-to-all check.
int64_t rows_between(int source, int destination) { return (source + destination) % 3; }

// Row i of the block from `source` to `destination`, three columns: exact below 256.
at::Tensor block(int source, int destination, c10::Device device, c10::ScalarType dtype) {
  const int64_t rows = rows_between(source, destination);
  at::Tensor row_codes = at::arange(rows, at::TensorOptions().dtype(at::kLong)).unsqueeze(1) * 3 +
                         at::arange(3, at::TensorOptions().dtype(at::kLong)).unsqueeze(0);
  return (row_codes + source * 32 + destination * 4).remainder(256).to(options_for(device, dtype));
}

}  // namespace

std::string check_all_reduce_sum(Communicator& group, c10::Device device, c10::ScalarType dtype) {
  const std::vector<std::vector<int64_t>> shapes = {{5, 7}, {3}, {1}};
  for (const auto& shape : shapes) {
    at::Tensor tensor = rank_values(group.rank(), shape, device, dtype);
    at::Tensor expected = at::zeros(shape, at::TensorOptions().dtype(at::kDouble));
    for (int rank = 0; rank < group.size(); ++rank) {
      expected += rank_values(rank, shape, c10::Device(c10::kCPU), at::kDouble);
    }
    group.all_reduce_sum(tensor);
    if (auto failure = compare(tensor, expected, "all_reduce_sum"); !failure.empty())
      return failure;
  }
  // Strided: a transposed view is reduced in place.
  at::Tensor base = rank_values(group.rank(), {4, 6}, device, dtype);
  at::Tensor strided = base.t();
  at::Tensor expected = at::zeros({4, 6}, at::TensorOptions().dtype(at::kDouble));
  for (int rank = 0; rank < group.size(); ++rank) {
    expected += rank_values(rank, {4, 6}, c10::Device(c10::kCPU), at::kDouble);
  }
  group.all_reduce_sum(strided);
  return compare(base, expected, "all_reduce_sum of a transposed view");
}

std::string check_all_to_all(Communicator& group, c10::Device device, c10::ScalarType dtype) {
  std::vector<at::Tensor> sent;
  std::vector<at::Tensor> expected;
  std::vector<int64_t> input_splits;
  std::vector<int64_t> output_splits;
  for (int peer = 0; peer < group.size(); ++peer) {
    sent.push_back(block(group.rank(), peer, device, dtype));
    expected.push_back(block(peer, group.rank(), c10::Device(c10::kCPU), dtype));
    input_splits.push_back(rows_between(group.rank(), peer));
    output_splits.push_back(rows_between(peer, group.rank()));
  }
  const at::Tensor input = at::cat(sent);
  at::Tensor output = at::full({at::cat(expected).size(0), 3}, -1, options_for(device, dtype));
  group.all_to_all(output, input, output_splits, input_splits);
  return compare(output, at::cat(expected), "all_to_all with uneven splits");
}

std::string check_all_gather(Communicator& group, c10::Device device, c10::ScalarType dtype) {
  for (const bool first_empty : {false, true}) {
    std::vector<int64_t> rows_per_rank;
    std::vector<at::Tensor> expected;
    for (int rank = 0; rank < group.size(); ++rank) {
      const int64_t rows = first_empty && rank == 0 ? 0 : rank % 3 + 1;
      rows_per_rank.push_back(rows);
      expected.push_back(rank_values(rank, {rows, 2, 3}, c10::Device(c10::kCPU), dtype));
    }
    const at::Tensor input = rank_values(
        group.rank(), {rows_per_rank[static_cast<std::size_t>(group.rank())], 2, 3}, device, dtype);
    const at::Tensor gathered = group.all_gather(input, rows_per_rank);
    if (auto failure = compare(gathered, at::cat(expected), "all_gather with uneven rows");
        !failure.empty()) {
      return failure;
    }
  }
  return "";
}

std::string check_broadcast(Communicator& group, c10::Device device, c10::ScalarType dtype) {
  for (int root = 0; root < group.size(); ++root) {
    at::Tensor base = rank_values(group.rank(), {3, 5}, device, dtype);
    at::Tensor strided = base.t();
    group.broadcast(strided, root);
    const at::Tensor expected = rank_values(root, {3, 5}, c10::Device(c10::kCPU), dtype);
    if (auto failure = compare(base, expected, "broadcast from root " + std::to_string(root));
        !failure.empty()) {
      return failure;
    }
  }
  return "";
}

std::string check_send_recv(Communicator& group, c10::Device device, std::size_t num_bytes) {
  const int64_t numel = static_cast<int64_t>(num_bytes / sizeof(int64_t));
  const int size = group.size();
  // The rank in the high bits makes every rank's payload distinct; int64 keeps making it cheap.
  const auto values = [&](int rank) {
    return at::arange(numel, at::TensorOptions().dtype(at::kLong)) + (int64_t{rank} << 40);
  };
  for (const int step : {1, size - 1}) {
    const int destination = (group.rank() + step) % size;
    const int source = (group.rank() - step + size) % size;
    const at::Tensor send = values(group.rank()).to(device);
    at::Tensor receive = at::empty({numel}, options_for(device, at::kLong));
    group.send_recv(send, destination, receive, source);
    if (auto failure = compare(receive, values(source),
                               "send_recv of " + std::to_string(num_bytes) + " bytes from rank " +
                                   std::to_string(source));
        !failure.empty()) {
      return failure;
    }
  }
  return "";
}

std::string check_barrier(Communicator& group) {
  using Clock = std::chrono::system_clock;
  constexpr auto kLateBy = std::chrono::milliseconds(300);
  const bool is_late = group.rank() == group.size() - 1;
  group.barrier();
  const auto entered = Clock::now();
  if (is_late) std::this_thread::sleep_for(kLateBy);
  group.barrier();
  const auto waited = Clock::now() - entered;
  // Everyone entered within a few ms of each other (the first barrier synchronised them), so
  // leaving before the late rank arrived means the barrier did not wait.
  if (group.size() > 1 && waited < kLateBy / 2) {
    return "barrier returned after " +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()) +
           " ms although rank " + std::to_string(group.size() - 1) + " entered 300 ms late";
  }
  return "";
}

}  // namespace cosmos3::parallel
