#include "app/generate_ranks.h"

#include "parallel/comm/local_launcher.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/engine/rank_transformer.h"

#include <ATen/Context.h>

#include <iostream>

namespace cosmos3::app {
namespace {

// With several ranks every rank takes its own GPU (cuda:local_rank): a fixed index cannot be
// shared, and more ranks than GPUs cannot run.
void check_devices(const GenerateOptions& options, int num_ranks) {
  if (!options.device.is_cuda()) {
    return;
  }
  if (options.device.has_index()) {
    throw UsageError("--device " + options.device.str() + " names one GPU, but the layout has " +
                     std::to_string(num_ranks) +
                     " ranks: pass --device cuda and each rank takes its own GPU");
  }
  if (!parallel::nccl_available()) {
    throw parallel::LayoutError(
        "several GPU ranks need NCCL, and this libtorch was built without it: use a CUDA build "
        "of torch, or --device cpu");
  }
  const auto num_gpus = static_cast<int>(at::getNumGPUs());
  if (num_ranks > num_gpus) {
    throw parallel::LayoutError(
        "the layout " + requested_degrees(options).describe() + " needs " +
        std::to_string(num_ranks) + " GPUs (one per rank) but " + std::to_string(num_gpus) +
        " are visible: lower the degrees so that cfg x tp x cp <= " + std::to_string(num_gpus));
  }
}

}  // namespace

parallel::ParallelDegrees requested_degrees(const GenerateOptions& options) {
  return parallel::ParallelDegrees{options.cfg_parallel, options.tensor_parallel,
                                   options.context_parallel};
}

bool should_launch_ranks(const GenerateOptions& options) {
  return requested_degrees(options).num_ranks() > 1 && !parallel::RankEnvironment::is_launched();
}

int launch_ranks(const GenerateOptions& options, int argc, char** argv) {
  const parallel::ParallelDegrees degrees = requested_degrees(options);
  parallel::plan_model_layout(options.model_dir, degrees, degrees.num_ranks());
  check_devices(options, degrees.num_ranks());
  parallel::LaunchOptions launch;
  launch.num_processes = degrees.num_ranks();
  launch.log_dir = options.output_dir / "rank-logs";
  launch.command.push_back(std::filesystem::read_symlink("/proc/self/exe").string());
  launch.command.insert(launch.command.end(), argv + 1, argv + argc);
  std::cerr << "starting " << launch.num_processes << " ranks (" << degrees.describe()
            << "); their logs go to " << launch.log_dir.string() << '\n';
  return parallel::run_local_launch(launch, std::cout, std::cerr);
}

}  // namespace cosmos3::app
