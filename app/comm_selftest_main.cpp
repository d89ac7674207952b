// cosmos3-comm-selftest: every collective on the chosen backend at any world size, checked
// against locally computed results; then the same on the groups of a 2 x N/2 mesh. Run it under
// the launcher, e.g. on a GPU machine:
//
//   cosmos3-launch --nproc 8 -- cosmos3-comm-selftest --backend nccl
//
// Exits non-zero naming the first check that failed.

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "parallel/comm/collective_checks.h"
#include "parallel/comm/device_mesh.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world.h"

#include <c10/core/Device.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <string>

using namespace cosmos3::parallel;
namespace cli = cosmos3::cli;

namespace {

struct Options {
  Backend backend = Backend::cpu;
  std::size_t send_recv_bytes = 64u << 20;
};

cli::Command selftest_command(Options& options) {
  cli::Command command("cosmos3-comm-selftest",
                       "Runs every collective on the chosen backend and checks the results,\n"
                       "on the world and on the groups of a 2 x N/2 mesh.");
  command
      .add_flag({.name = "--backend",
                 .value_name = "B",
                 .help = "cpu or nccl (default cpu)",
                 .set =
                     [&options](auto flag, auto value) {
                       options.backend = cli::to_enum<Backend>(
                           flag, value, {{"cpu", Backend::cpu}, {"nccl", Backend::nccl}});
                     }})
      .add_flag({.name = "--send-recv-bytes",
                 .value_name = "N",
                 .help = "bytes of the send/recv check (default 64 MiB)",
                 .set =
                     [&options](auto flag, auto value) {
                       options.send_recv_bytes = cli::to_integer<std::size_t>(flag, value);
                     }})
      .set_notes(
          "Run it under the launcher, e.g.\n"
          "  cosmos3-launch --nproc 8 -- cosmos3-comm-selftest --backend nccl\n"
          "Exits non-zero naming the first check that failed.");
  return command;
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

int run_selftest(const Options& options) {
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
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  cli::Command command = selftest_command(options);
  command.set_action([&options] { return run_selftest(options); });
  try {
    return cli::run_main(command, argc, argv, std::cout, std::cerr);
  } catch (const cosmos3::UserError& error) {
    std::cerr << "cosmos3-comm-selftest: " << error.what() << std::endl;
    return 1;
  }
}
