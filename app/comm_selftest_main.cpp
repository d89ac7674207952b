// cosmos3-comm-selftest: every collective on the chosen backend at any world size, checked
// against locally computed results; then the same on the groups of a 2 x N/2 mesh. Run it under
// the launcher, e.g. on a GPU machine:
//
//   cosmos3-launch --nproc 8 -- cosmos3-comm-selftest --backend nccl
//
// Exits non-zero naming the first check that failed.

#include "parallel/comm/collective_checks.h"
#include "parallel/comm/device_mesh.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world.h"

#include <c10/core/Device.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

using namespace cosmos3::parallel;

namespace {

struct Options {
  Backend backend = Backend::cpu;
  std::size_t send_recv_bytes = 64u << 20;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (index + 1 >= argc) throw ParallelError(flag + " needs a value");
    const std::string value = argv[++index];
    if (flag == "--backend") {
      options.backend = parse_backend(value);
    } else if (flag == "--send-recv-bytes") {
      options.send_recv_bytes = std::stoull(value);
    } else {
      throw ParallelError("unknown option '" + flag +
                          "'; usage: cosmos3-comm-selftest [--backend cpu|nccl] "
                          "[--send-recv-bytes N]");
    }
  }
  return options;
}

int run_checks(Communicator& group, c10::Device device, const Options& options, int world_rank) {
  int num_failed = 0;
  const auto run = [&](const std::string& name, const std::function<std::string()>& check) {
    const auto started = std::chrono::steady_clock::now();
    const std::string failure = check();
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    std::cout << (failure.empty() ? "PASS " : "FAIL ") << "rank " << world_rank << " group '"
              << group.name() << "' (" << group.rank() << "/" << group.size() << ") " << name << " "
              << elapsed.count() << " s" << (failure.empty() ? "" : ": " + failure) << std::endl;
    num_failed += failure.empty() ? 0 : 1;
  };
  for (const auto dtype : {at::kFloat, at::kBFloat16, at::kHalf, at::kInt, at::kLong}) {
    const std::string suffix = std::string(" ") + c10::toString(dtype);
    run("all_reduce_sum" + suffix, [&] { return check_all_reduce_sum(group, device, dtype); });
    run("all_to_all" + suffix, [&] { return check_all_to_all(group, device, dtype); });
    run("all_gather" + suffix, [&] { return check_all_gather(group, device, dtype); });
    run("broadcast" + suffix, [&] { return check_broadcast(group, device, dtype); });
  }
  run("send_recv", [&] { return check_send_recv(group, device, options.send_recv_bytes); });
  run("barrier", [&] { return check_barrier(group); });
  return num_failed;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    const RankEnvironment environment = RankEnvironment::is_launched()
                                            ? RankEnvironment::from_environment()
                                            : RankEnvironment::single_process();
    auto world = connect_world(environment, options.backend);
    const c10::Device device = world->device();
    int num_failed = run_checks(*world->communicator(), device, options, environment.rank);
    // The groups of a 2 x N/2 mesh (or 1 x N on odd worlds) reuse the world's transport.
    const int outer = environment.world_size % 2 == 0 ? 2 : 1;
    DeviceMesh mesh(*world, {{"outer", outer}, {"inner", environment.world_size / outer}});
    num_failed += run_checks(*mesh.group("outer"), device, options, environment.rank);
    num_failed += run_checks(*mesh.group("inner"), device, options, environment.rank);
    std::cout << (num_failed == 0 ? "ALL PASSED" : std::to_string(num_failed) + " CHECKS FAILED")
              << " on rank " << environment.rank << " of " << environment.world_size << " ("
              << backend_name(options.backend) << ")" << std::endl;
    return num_failed == 0 ? 0 : 1;
  } catch (const cosmos3::UserError& error) {
    std::cerr << "cosmos3-comm-selftest: " << error.what() << std::endl;
    return 2;
  }
}
