// cosmos3-worker: one rank of a resident backend group (started by the group's supervisor, or
// by torchrun / srun across hosts), or `--probe-devices` to list the GPUs as JSON without the
// caller initialising CUDA itself. See parallel/backend/README.md.

#include "parallel/backend/device_probe.h"
#include "parallel/backend/generate_options.h"
#include "parallel/backend/worker_loop.h"
#include "parallel/comm/parallel_error.h"

#include <sys/resource.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

using namespace cosmos3;

namespace {

constexpr const char* kUsage =
    "usage: cosmos3-worker --socket PATH --model DIR [options]\n"
    "       cosmos3-worker --probe-devices\n"
    "\n"
    "One rank of a resident Cosmos3 backend group: rank 0 serves the backend protocol at\n"
    "--socket; every rank loads the model once and runs the jobs rank 0 relays.\n"
    "\n"
    "  --socket PATH        Unix socket rank 0 listens at (mode 0600)\n"
    "  --model DIR          pipeline folder (model_index.json, transformer/, ...)\n"
    "  --device D           cpu or cuda (one GPU per rank; default cpu)\n"
    "  --dtype T            float32 or bfloat16 (default float32)\n"
    "  --cfg-parallel N     1 or 2 (default 1)\n"
    "  --tp N               tensor-parallel degree (default 1)\n"
    "  --cp N               context-parallel degree (default 1)\n"
    "  --preview-dir DIR    where live previews go (default: beside the socket)\n"
    "  --probe-devices      print the visible GPUs as JSON and exit\n"
    "  --help               this text\n";

int parse_degree(const std::string& flag, const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) {
    throw app::UsageError(flag + " takes a number of ranks >= 1, got '" + text + "'");
  }
  return value;
}

// A test and diagnosis knob: limits this rank's address space to what it uses after loading
// at start plus the given headroom, so that a large job fails as it would on a smaller machine.
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

backend::WorkerOptions parse(int argc, char** argv, bool& probe) {
  std::map<std::string, std::string> values;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (flag == "--probe-devices") {
      probe = true;
      continue;
    }
    static const std::set<std::string> known{"--socket", "--model",        "--device",
                                             "--dtype",  "--cfg-parallel", "--tp",
                                             "--cp",     "--preview-dir"};
    if (!known.count(flag)) throw app::UsageError("unknown flag '" + flag + "'");
    if (index + 1 >= argc) throw app::UsageError(flag + " needs a value");
    values[flag] = argv[++index];
  }
  backend::WorkerOptions options;
  if (probe) return options;
  for (const char* required : {"--socket", "--model"}) {
    if (!values.count(required)) throw app::UsageError(std::string(required) + " is required");
  }
  options.socket_path = values["--socket"];
  options.engine.model_dir = values["--model"];
  const std::string device = values.count("--device") ? values["--device"] : "cpu";
  if (device != "cpu" && device != "cuda") {
    throw app::UsageError("--device takes cpu or cuda, got '" + device + "'");
  }
  options.engine.device = c10::Device(device);
  const std::string dtype = values.count("--dtype") ? values["--dtype"] : "float32";
  if (dtype != "float32" && dtype != "bfloat16") {
    throw app::UsageError("--dtype takes float32 or bfloat16, got '" + dtype + "'");
  }
  options.engine.dtype = dtype == "bfloat16" ? c10::kBFloat16 : c10::kFloat;
  for (const auto& [flag, degree] : {std::pair{"--cfg-parallel", &options.engine.degrees.cfg},
                                     std::pair{"--tp", &options.engine.degrees.tp},
                                     std::pair{"--cp", &options.engine.degrees.cp}}) {
    if (values.count(flag)) *degree = parse_degree(flag, values[flag]);
  }
  options.preview_dir = values.count("--preview-dir")
                            ? std::filesystem::path(values["--preview-dir"])
                            : options.socket_path.parent_path() / "previews";
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  for (int index = 1; index < argc; ++index) {
    if (std::string(argv[index]) == "--help" || std::string(argv[index]) == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  bool probe = false;
  backend::WorkerOptions options;
  try {
    options = parse(argc, argv, probe);
  } catch (const app::UsageError& error) {
    std::cerr << "cosmos3-worker: " << error.what() << "\n\n" << kUsage;
    return app::kUsageExitCode;
  }
  if (probe) {
    std::cout << backend::probe_devices().dump(2) << '\n';
    return 0;
  }
  apply_address_space_headroom();
  try {
    return backend::run_worker(options);
  } catch (const UserError& error) {
    std::cerr << "cosmos3-worker: " << error.what() << '\n';
    return backend::kRankFailedExit;
  }
}
