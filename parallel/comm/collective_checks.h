#pragma once
// Runs each collective on a communicator with data every rank can predict, and compares the
// result with the value computed locally. Shared by cosmos3-comm-selftest (the NCCL check on
// GPU machines) and the CPU tests. Each check is collective: every rank of `group` calls it.
// Returns an empty string on success, otherwise what differed.

#include "parallel/comm/communicator.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <string>

namespace cosmos3::parallel {

// Odd sizes so the reduce-scatter chunks are uneven, one strided tensor, and a tensor smaller
// than the group (empty chunks).
std::string check_all_reduce_sum(Communicator& group, c10::Device device, c10::ScalarType dtype);
// Rank r sends (r + j) % 3 rows to rank j (some zero); rows encode source, destination and index.
std::string check_all_to_all(Communicator& group, c10::Device device, c10::ScalarType dtype);
// Rank r contributes (r % 3) + 1 rows; and a round where rank 0 contributes none.
std::string check_all_gather(Communicator& group, c10::Device device, c10::ScalarType dtype);
// From every root in turn, into a strided tensor.
std::string check_broadcast(Communicator& group, c10::Device device, c10::ScalarType dtype);
// A ring shift of `num_bytes` per rank both ways at once (send right, receive from the left,
// then the reverse): on two ranks both peers send to each other simultaneously.
std::string check_send_recv(Communicator& group, c10::Device device, std::size_t num_bytes);
// The last rank enters late; everyone must leave after it entered.
std::string check_barrier(Communicator& group);

}  // namespace cosmos3::parallel
