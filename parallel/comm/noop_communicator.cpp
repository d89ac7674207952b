#include "parallel/comm/noop_communicator.h"

#include <c10/util/Exception.h>

namespace cosmos3::parallel {

void NoopCommunicator::all_to_all(at::Tensor& output, const at::Tensor& input,
                                  const std::vector<int64_t>& output_split_sizes,
                                  const std::vector<int64_t>& input_split_sizes) {
  TORCH_CHECK(output_split_sizes.size() == 1 && input_split_sizes.size() == 1,
              "all_to_all on group '", name_, "' of size 1 takes one split each");
  // Callers commonly pass the input as the output; copying onto itself would be wasted work.
  if (!output.is_same(input)) output.copy_(input);
}

at::Tensor NoopCommunicator::all_gather(const at::Tensor& input,
                                        const std::vector<int64_t>& rows_per_rank) {
  TORCH_CHECK(rows_per_rank.size() == 1 && rows_per_rank[0] == input.size(0),
              "all_gather on group '", name_, "' of size 1: rows_per_rank must be {input rows}");
  return input;
}

void NoopCommunicator::broadcast(at::Tensor& /*tensor*/, int root) {
  TORCH_CHECK(root == 0, "broadcast on group '", name_, "' of size 1 from root ", root);
}

void NoopCommunicator::send_recv(const at::Tensor& send, int dst, at::Tensor& recv, int src) {
  TORCH_CHECK(dst == 0 && src == 0, "send_recv on group '", name_, "' of size 1 with peers ", dst,
              ", ", src);
  if (!recv.is_same(send)) recv.copy_(send);
}

}  // namespace cosmos3::parallel
