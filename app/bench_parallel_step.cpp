// cosmos3-bench-parallel: times one classifier-free-guidance step of the denoise loop (the cond
// and the uncond transformer forward, through parallel::ParallelGuidance) of a random-weight,
// full-size model on a cfg x tp x cp layout, and prints one markdown table row.
//
// Measured: every rank under the launcher, one GPU each (NCCL) or CPU ranks (--device cpu):
//   cosmos3-launch --nproc 8 -- cosmos3-bench-parallel --cp 8
// Predicted, with one GPU: --simulate-rank runs alone and does exactly the compute of rank 0 of
// the layout (the rank with the largest share of uneven splits), its collectives moving no data
// (parallel/comm/shape_only_communicator.h). The row's time is that compute plus what the
// collectives would carry over an assumed link bandwidth plus a latency per collective.
// benchmarks/run_parallel_scaling.sh runs the whole set.

#include "app/bench_models.h"
#include "app/bench_support.h"
#include "core/cli/typed_values.h"
#include "core/errors.h"
#include "core/model/transformer.h"
#include "parallel/comm/counting_communicator.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/world.h"
#include "parallel/engine/cfg_parallel.h"
#include "parallel/engine/random_rank_weight_source.h"
#include "parallel/engine/rank_mesh.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/amax.h>
#include <ATen/ops/tensor.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace cosmos3;

namespace {

// NCCL bus bandwidth among the 8 GPUs of an NVLink-4 node (H100/H200, 450 GB/s per direction
// per GPU) measures ~350-480 GB/s for all-reduce and all-to-all of tens of MB (nccl-tests); 300
// GB/s leaves room for the smaller messages and uneven splits of a real step.
constexpr double kDefaultLinkGigabytesPerSecond = 300;
// What one intra-node NCCL collective costs beyond its bytes: launch and handshake.
constexpr double kDefaultCollectiveLatencyMicroseconds = 15;
// Guidance scale of the combine: any value does the same arithmetic.
constexpr double kGuidanceScale = 7.0;

struct StepOptions {
  std::string family = "nano";
  bench::VideoShape shape;
  int64_t uncond_text_tokens = 0;  // 0: a third of the cond prompt's
  parallel::ParallelDegrees degrees;
  int64_t num_steps = 3;
  int64_t num_warmup = 1;
  c10::Device device = c10::Device(c10::kCUDA);
  c10::ScalarType dtype = at::kBFloat16;
  bool simulate_rank = false;
  int64_t num_layers = 0;  // 0: the family's
  double link_gigabytes_per_second = kDefaultLinkGigabytesPerSecond;
  double collective_latency_us = kDefaultCollectiveLatencyMicroseconds;
  double reference_step_seconds = 0;  // the 1-GPU step time, for speedup and efficiency
  bool print_header = false;          // prints the table's header instead of running
};

cli::Flag degree_flag(std::string name, std::string help, int& target) {
  return {.name = std::move(name),
          .value_name = "N",
          .help = std::move(help) + " (default 1)",
          .set = [&target](auto flag, auto value) {
            const int degree = cli::to_integer<int>(flag, value);
            if (degree < 1 || degree > 64) {
              throw cli::UsageError(std::string(flag) + " must be between 1 and 64, got " +
                                    std::string(value));
            }
            target = degree;
          }};
}

cli::Flag switch_flag(std::string name, std::string help, bool& target) {
  return {.name = std::move(name), .help = std::move(help), .set = [&target](auto, auto) {
            target = true;
          }};
}

void add_workload_flags(cli::Command& command, StepOptions& o) {
  command.add_flag(bench::family_flag(o.family))
      .add_flag(bench::integer_flag("--height", "video height, a multiple of 16", o.shape.height))
      .add_flag(bench::integer_flag("--width", "video width, a multiple of 16", o.shape.width))
      .add_flag(bench::integer_flag("--frames", "video frames, 1 + 4k", o.shape.frames))
      .add_flag(bench::integer_flag("--text-tokens", "cond prompt tokens", o.shape.text_tokens))
      .add_flag(bench::integer_flag("--uncond-text-tokens",
                                    "uncond prompt tokens; 0: a third of the cond's",
                                    o.uncond_text_tokens))
      .add_flag(
          bench::integer_flag("--num-layers", "transformer layers; 0: the family's", o.num_layers))
      .add_flag({.name = "--dtype",
                 .value_name = "T",
                 .help = "bfloat16 or float32 (default bfloat16)",
                 .set = [&o](auto flag, auto value) {
                   o.dtype = cli::to_enum<c10::ScalarType>(
                       flag, value, {{"bfloat16", at::kBFloat16}, {"float32", at::kFloat}});
                 }});
}

void add_run_flags(cli::Command& command, StepOptions& o) {
  command
      .add_flag(degree_flag("--cfg",
                            "classifier-free-guidance rank groups, 1 to 3 (the timed step has two\n"
                            "branches: a third group recomputes the second)",
                            o.degrees.cfg))
      .add_flag(degree_flag("--tp", "tensor-parallel ranks", o.degrees.tp))
      .add_flag(degree_flag("--cp", "context-parallel ranks", o.degrees.cp))
      .add_flag(bench::integer_flag("--steps", "timed steps, >= 1", o.num_steps))
      .add_flag(bench::integer_flag("--warmup", "untimed steps first", o.num_warmup))
      .add_flag(bench::device_flag(o.device))
      .add_flag(switch_flag("--simulate-rank",
                            "run alone the compute of rank 0 of the layout; collectives move\n"
                            "no data and are priced by the two --assumed-* flags",
                            o.simulate_rank))
      .add_flag(bench::number_flag("--assumed-link-gbps", "simulated link bandwidth, GB/s",
                                   o.link_gigabytes_per_second))
      .add_flag(bench::number_flag("--assumed-collective-latency-us",
                                   "simulated cost of one collective beyond its bytes",
                                   o.collective_latency_us))
      .add_flag(bench::number_flag("--reference-step-seconds",
                                   "the 1-GPU step time, for speedup and efficiency",
                                   o.reference_step_seconds))
      .add_flag(switch_flag("--print-header", "print the table's header and exit", o.print_header));
}

cli::Command step_command(StepOptions& options) {
  cli::Command command("cosmos3-bench-parallel",
                       "Times one classifier-free-guidance step of a random-weight, full-size\n"
                       "model on a cfg x tp x cp layout and prints one markdown table row.");
  add_workload_flags(command, options);
  add_run_flags(command, options);
  command.set_notes(
      "Measured: every rank under the launcher, e.g.\n"
      "  cosmos3-launch --nproc 8 -- cosmos3-bench-parallel --cp 8\n"
      "Predicted with one GPU: --simulate-rank, without the launcher.");
  return command;
}

// The checks across flags, made once all are parsed.
void check_options(StepOptions& options) {
  if (options.uncond_text_tokens == 0) {
    options.uncond_text_tokens = std::max<int64_t>(1, options.shape.text_tokens / 3);
  }
  if (options.num_steps < 1 || options.num_warmup < 0 || options.num_layers < 0 ||
      options.uncond_text_tokens < 1 || options.link_gigabytes_per_second <= 0) {
    throw cli::UsageError(
        "--steps and --uncond-text-tokens must be at least 1, --warmup and --num-layers at "
        "least 0, --assumed-link-gbps positive");
  }
  if (options.shape.height % 16 != 0 || options.shape.width % 16 != 0 ||
      (options.shape.frames - 1) % 4 != 0 || options.shape.text_tokens < 1) {
    throw cli::UsageError(
        "--height and --width must be multiples of 16, --frames 1 + 4k, --text-tokens at "
        "least 1");
  }
}

// "CP 8", "TP 2 x CP 4", "CFG 2 x CP 2"; "1 rank" without parallelism.
std::string layout_label(const parallel::ParallelDegrees& degrees) {
  std::string label;
  for (const auto& [name, degree] :
       {std::pair<const char*, int>{"CFG", degrees.cfg}, {"TP", degrees.tp}, {"CP", degrees.cp}}) {
    if (degree > 1) {
      label += (label.empty() ? "" : " x ") + std::string(name) + " " + std::to_string(degree);
    }
  }
  return label.empty() ? "1 rank" : label;
}

// Every group of the mesh wrapped so its calls and bytes are counted; groups in mesh order.
std::vector<std::shared_ptr<parallel::CountingCommunicator>> count_collectives(
    parallel::RankMesh& mesh) {
  std::vector<std::shared_ptr<parallel::CountingCommunicator>> counters;
  for (std::shared_ptr<parallel::Communicator>* group :
       {&mesh.cfg, &mesh.tp, &mesh.cp, &mesh.ulysses, &mesh.ring}) {
    auto counted = std::make_shared<parallel::CountingCommunicator>(*group);
    *group = counted;
    counters.push_back(std::move(counted));
  }
  return counters;
}

struct StepTraffic {
  double num_bus_bytes = 0;  // per step, by NCCL's bus-bandwidth convention
  double num_calls = 0;      // per step, on groups of more than one rank
  std::string breakdown;     // "ulysses all_to_all (4 ranks): 144 calls, 12.3 MB payload; ..."
};

StepTraffic traffic_per_step(
    const std::vector<std::shared_ptr<parallel::CountingCommunicator>>& counters,
    int64_t num_steps) {
  StepTraffic traffic;
  const auto steps = static_cast<double>(num_steps);
  for (const auto& counter : counters) {
    if (counter->size() == 1) {
      continue;
    }
    traffic.num_bus_bytes += counter->num_bus_bytes() / steps;
    traffic.num_calls += static_cast<double>(counter->num_calls_total()) / steps;
    for (std::size_t kind = 0; kind < parallel::kNumCollectiveKinds; ++kind) {
      const auto collective = static_cast<parallel::CollectiveKind>(kind);
      const int64_t calls = counter->num_calls(collective);
      if (calls == 0) {
        continue;
      }
      char part[160];
      std::snprintf(part, sizeof(part), "%s%s %s (%d ranks): %.0f calls, %.1f MB payload",
                    traffic.breakdown.empty() ? "" : "; ", counter->name().c_str(),
                    std::string(parallel::collective_name(collective)).c_str(), counter->size(),
                    static_cast<double>(calls) / steps,
                    static_cast<double>(counter->num_bytes(collective)) / steps / 1e6);
      traffic.breakdown += part;
    }
  }
  return traffic;
}

// The largest of each value over all ranks: [V] on each rank -> [N, V] -> [V].
std::vector<double> max_over_ranks(parallel::Communicator& world, const c10::Device& device,
                                   const std::vector<double>& values) {
  const at::Tensor mine =
      at::tensor(values, at::TensorOptions().dtype(at::kDouble)).to(device).unsqueeze(0);
  const at::Tensor all =
      world.all_gather(mine, std::vector<int64_t>(static_cast<std::size_t>(world.size()), 1));
  const at::Tensor largest = at::amax(all, 0).cpu().contiguous();
  return {largest.data_ptr<double>(), largest.data_ptr<double>() + largest.numel()};
}

// Every rank's queued work done before and after, so the time covers the slowest rank.
double timed(const std::function<void()>& work, const c10::Device& device,
             parallel::Communicator& world) {
  bench::synchronize(device);
  world.barrier();
  const auto start = std::chrono::steady_clock::now();
  work();
  bench::synchronize(device);
  world.barrier();
  return bench::seconds_since(start);
}

struct StepResult {
  double median_seconds = 0;
  double min_seconds = 0;
  StepTraffic traffic;
  double peak_gib = 0;  // the largest over ranks, as are the two below
  double weights_gib = 0;
  double weights_seconds = 0;
};

void print_header() {
  std::printf(
      "| model | size | layout | ranks | how | s/step | min s/step | rank compute s | "
      "comm GB/step (bus) | collectives/step | speedup | efficiency | peak GiB/rank | "
      "weights GiB/rank | weights s |\n");
  std::string rule;
  for (int column = 0; column < 15; ++column) {
    rule += "| --- ";
  }
  std::printf("%s|\n", rule.c_str());
}

// Measured rows report the wall time; predicted ones add the communication the simulated rank
// skipped: bus bytes over the assumed link bandwidth plus a latency per collective.
void print_row(const StepOptions& options, const StepResult& result) {
  const double comm_seconds =
      result.traffic.num_bus_bytes / (options.link_gigabytes_per_second * 1e9) +
      result.traffic.num_calls * options.collective_latency_us * 1e-6;
  // A layout of one rank has nothing to simulate: its row is a measurement either way.
  const bool predicted = options.simulate_rank && options.degrees.num_ranks() > 1;
  const double added = predicted ? comm_seconds : 0;
  const double step_seconds = result.median_seconds + added;
  char compute[32] = "-";
  if (predicted) {
    std::snprintf(compute, sizeof(compute), "%.3f", result.median_seconds);
  }
  char speedup[32] = "-";
  char efficiency[32] = "-";
  if (options.reference_step_seconds > 0) {
    const double ratio = options.reference_step_seconds / step_seconds;
    std::snprintf(speedup, sizeof(speedup), "%.2f", ratio);
    std::snprintf(efficiency, sizeof(efficiency), "%.0f %%",
                  100 * ratio / options.degrees.num_ranks());
  }
  const bench::VideoShape& shape = options.shape;
  std::printf(
      "| %s | %lldx%lldx%lld | %s | %d | %s | %.3f | %.3f | %s | %.2f | %.0f | %s | %s | %.1f | "
      "%.1f | %.1f |\n",
      options.family.c_str(), static_cast<long long>(shape.height),
      static_cast<long long>(shape.width), static_cast<long long>(shape.frames),
      layout_label(options.degrees).c_str(), options.degrees.num_ranks(),
      predicted ? "predicted" : "measured", step_seconds, result.min_seconds + added, compute,
      result.traffic.num_bus_bytes / 1e9, result.traffic.num_calls, speedup, efficiency,
      result.peak_gib, result.weights_gib, result.weights_seconds);
  std::fflush(stdout);
  std::cerr << "cosmos3-bench-parallel: " << layout_label(options.degrees)
            << " collectives per step on rank 0: "
            << (result.traffic.breakdown.empty() ? "none" : result.traffic.breakdown) << '\n';
}

int run_step(StepOptions options) {
  check_options(options);
  if (options.print_header) {
    print_header();
    return 0;
  }
  c10::InferenceMode inference_mode;
  model::TransformerConfig config = bench::family_config(options.family);
  if (options.num_layers > 0) {
    config.num_hidden_layers = options.num_layers;
  }
  const bool launched = parallel::RankEnvironment::is_launched();
  if (options.simulate_rank && launched) {
    throw UserError("--simulate-rank runs one process alone: start it without cosmos3-launch");
  }
  const parallel::RankEnvironment environment = launched
                                                    ? parallel::RankEnvironment::from_environment()
                                                    : parallel::RankEnvironment::single_process();
  if (!options.simulate_rank && options.degrees.num_ranks() != environment.world_size) {
    throw parallel::LayoutError("layout " + options.degrees.describe() + " needs " +
                                std::to_string(options.degrees.num_ranks()) +
                                " ranks, this run has " + std::to_string(environment.world_size) +
                                ": start it with cosmos3-launch --nproc " +
                                std::to_string(options.degrees.num_ranks()) +
                                ", or time one rank of it alone with --simulate-rank");
  }
  // Checked before connecting or allocating anything.
  const parallel::HeadLayout heads = parallel::plan_head_layout(
      options.degrees, options.simulate_rank ? options.degrees.num_ranks() : environment.world_size,
      config);
  const auto world = parallel::connect_world(
      environment, options.device.is_cuda() ? parallel::Backend::nccl : parallel::Backend::cpu);
  const c10::Device device = world->device();
  parallel::Communicator& world_group = *world->communicator();
  parallel::RankMesh mesh = options.simulate_rank
                                ? parallel::simulated_rank_mesh(options.degrees, heads)
                                : parallel::build_rank_mesh(*world, options.degrees, heads);
  const auto counters = count_collectives(mesh);

  parallel::RandomRankWeightSource source(config, mesh.tp_index, options.degrees.tp, device,
                                          options.dtype, 0);
  std::optional<model::Transformer> transformer;
  StepResult result;
  result.weights_seconds = timed(
      [&] {
        transformer.emplace(config,
                            model::load_transformer_weights(config, source, options.dtype, device),
                            options.dtype);
      },
      device, world_group);

  const model::TransformerInputs cond =
      bench::synthetic_inputs(config, options.shape, device, options.dtype);
  bench::VideoShape uncond_shape = options.shape;
  uncond_shape.text_tokens = options.uncond_text_tokens;
  const model::TransformerInputs uncond =
      bench::synthetic_inputs(config, uncond_shape, device, options.dtype);
  parallel::ParallelGuidance guidance(mesh);
  // One step of the denoise loop's guidance: both branches' velocities, then their combine.
  const auto guidance_step = [&] {
    const std::vector<at::Tensor> velocities =
        guidance.predict_branches(2, [&](int64_t branch, model::ModelSeams& seams) {
          return transformer->forward(branch == 0 ? cond : uncond, seams).sample.at(0);
        });
    const at::Tensor velocity = velocities[1] + kGuidanceScale * (velocities[0] - velocities[1]);
  };

  // Warm-up steps also fill each branch's text K/V cache, as the loop's first step does.
  for (int64_t run = 0; run < options.num_warmup; ++run) {
    timed(guidance_step, device, world_group);
  }
  bench::reset_peak_memory(device);
  for (const auto& counter : counters) {
    counter->reset();
  }
  std::vector<double> seconds;
  for (int64_t run = 0; run < options.num_steps; ++run) {
    seconds.push_back(timed(guidance_step, device, world_group));
  }
  std::sort(seconds.begin(), seconds.end());
  result.median_seconds = seconds[seconds.size() / 2];
  result.min_seconds = seconds.front();
  result.traffic = traffic_per_step(counters, options.num_steps);
  const std::vector<double> largest = max_over_ranks(
      world_group, device,
      {bench::peak_memory_gib(device), static_cast<double>(source.num_bytes_made()) / (1 << 30),
       result.weights_seconds});
  result.peak_gib = largest[0];
  result.weights_gib = largest[1];
  result.weights_seconds = largest[2];
  if (environment.rank == 0) {
    print_row(options, result);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  StepOptions options;
  cli::Command command = step_command(options);
  command.set_action([&options] { return run_step(options); });
  return bench::run_bench_program(command, argc, argv);
}
