// cosmos3-worker: one rank of a resident backend group (started by the group's supervisor, or
// by torchrun / srun across hosts), or `--probe-devices` to list the GPUs as JSON without the
// caller initialising CUDA itself. See parallel/backend/README.md.

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "parallel/backend/device_probe.h"
#include "parallel/backend/worker_loop.h"

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

using namespace cosmos3;

namespace {

struct WorkerCommandLine {
  backend::WorkerOptions worker;
  bool probe_devices = false;
};

// A test and diagnosis knob: limits this rank's address space to what it uses at start plus
// the given headroom, so that a large job fails as it would on a smaller machine.
void apply_address_space_headroom() {
  const char* headroom = std::getenv("COSMOS3_RANK_ADDRESS_SPACE_HEADROOM_MB");
  if (headroom == nullptr) return;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmSize:", 0) == 0) {
      const rlim_t limit = (std::stoull(line.substr(7)) + std::stoull(headroom) * 1024) * 1024;
      const rlimit bound{limit, limit};
      ::setrlimit(RLIMIT_AS, &bound);
      std::cerr << "address space limited to " << limit / (1 << 20) << " MiB\n";
    }
  }
}

cli::Command worker_command(WorkerCommandLine& options) {
  backend::WorkerOptions& worker = options.worker;
  cli::Command command("cosmos3-worker", "one rank of a resident Cosmos3 backend group");
  const auto degree = [](int& target) {
    return [&target](std::string_view flag, std::string_view value) {
      target = cli::to_integer<int>(flag, value);
      if (target < 1) cli::throw_bad_value(flag, "a number of ranks >= 1", value);
    };
  };
  command
      .add_flag({"--socket", "PATH", "Unix socket rank 0 listens at (mode 0600)",
                 [&](auto, auto value) { worker.socket_path = std::string(value); }})
      .add_flag({"--model", "DIR", "pipeline folder (model_index.json, transformer/, ...)",
                 [&](auto, auto value) { worker.engine.model_dir = std::string(value); }})
      .add_flag({"--device", "D", "cpu or cuda: one GPU per rank (default cpu)",
                 [&](auto flag, auto value) {
                   worker.engine.device = cli::to_enum<c10::Device>(
                       flag, value,
                       {{"cpu", c10::Device(c10::kCPU)}, {"cuda", c10::Device(c10::kCUDA)}});
                 }})
      .add_flag({"--dtype", "T", "float32 or bfloat16 (default float32)",
                 [&](auto flag, auto value) {
                   worker.engine.dtype = cli::to_enum<c10::ScalarType>(
                       flag, value, {{"float32", c10::kFloat}, {"bfloat16", c10::kBFloat16}});
                 }})
      .add_flag({"--cfg-parallel", "N", "1, 2, or 3 for transfer's three passes (default 1)",
                 degree(worker.engine.degrees.cfg)})
      .add_flag(
          {"--tp", "N", "tensor-parallel degree (default 1)", degree(worker.engine.degrees.tp)})
      .add_flag(
          {"--cp", "N", "context-parallel degree (default 1)", degree(worker.engine.degrees.cp)})
      .add_flag({"--vae-split", "on|off",
                 "decode and encode split by rows across all ranks (default on); off: the\n"
                 "writing rank decodes alone and every rank encodes whole frames",
                 [&](auto flag, auto value) {
                   worker.engine.split_vae =
                       cli::to_enum<bool>(flag, value, {{"on", true}, {"off", false}});
                 }})
      .add_flag({"--preview-dir", "DIR", "where live previews go (default: beside the socket)",
                 [&](auto, auto value) { worker.preview_dir = std::string(value); }})
      .add_flag({"--probe-devices", "", "print the visible GPUs as JSON and exit",
                 [&](auto, auto) { options.probe_devices = true; }})
      .set_notes(
          "Rank 0 serves the backend protocol (parallel/backend/PROTOCOL.md) at --socket; every\n"
          "rank loads the model once and runs the jobs rank 0 relays. Ranks read their place\n"
          "from cosmos3-launch's or torchrun's variables; alone, the worker is a group of one.");
  return command;
}

int run(WorkerCommandLine& options) {
  if (options.probe_devices) {
    std::cout << backend::probe_devices().dump(2) << '\n';
    return 0;
  }
  backend::WorkerOptions& worker = options.worker;
  if (worker.socket_path.empty() || worker.engine.model_dir.empty()) {
    throw cli::UsageError("--socket and --model are required (or --probe-devices)");
  }
  if (worker.preview_dir.empty())
    worker.preview_dir = worker.socket_path.parent_path() / "previews";
  apply_address_space_headroom();
  return backend::run_worker(worker);
}

}  // namespace

int main(int argc, char** argv) {
  WorkerCommandLine options;
  cli::Command command = worker_command(options);
  command.set_action([&] { return run(options); });
  try {
    return cli::run_main(command, argc, argv, std::cout, std::cerr);
  } catch (const UserError& error) {
    std::cerr << "cosmos3-worker: " << error.what() << '\n';
    return backend::kRankFailedExit;
  }
}
