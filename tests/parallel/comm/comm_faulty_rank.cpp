// A rank program that misbehaves on purpose, for tst_comm_launcher. Usage under the launcher:
//   comm_faulty_rank crash|hang|mismatch
// crash: rank 1 aborts in the middle of a run of all-reduces; hang: rank 1 stops calling
// collectives; mismatch: rank 1 all-reduces twice as many elements. The other ranks print what
// the transport reported ("caught: ...") and exit 3, or exit 0 if nothing went wrong.

#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world.h"

#include <ATen/ops/ones.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

using namespace cosmos3::parallel;

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  auto world = connect_world(RankEnvironment::from_environment(), Backend::cpu);
  Communicator& all = *world->communicator();
  const bool is_faulty = all.rank() == 1;
  try {
    for (int step = 0; step < 50; ++step) {
      int64_t num_elements = 1 << 10;
      if (is_faulty && step == 5) {
        if (mode == "crash") std::abort();
        if (mode == "hang") std::this_thread::sleep_for(std::chrono::hours(1));
        if (mode == "mismatch") num_elements *= 2;
      }
      at::Tensor tensor = at::ones({num_elements});
      all.all_reduce_sum(tensor);
    }
  } catch (const CommunicationError& error) {
    std::cout << "caught: " << error.what() << " [peer " << error.peer_rank() << "]" << std::endl;
    return 3;
  }
  std::cout << "no error" << std::endl;
  return 0;
}
