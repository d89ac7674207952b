// cosmos3-memory-model-check: the layout planner's memory model (parallel/engine/
// layout_memory_model.h) against measured peaks. For every layout the planner lists at each
// rank count, it runs `cosmos3-bench-parallel --simulate-rank` (one process doing exactly rank
// 0's compute of that layout on one GPU, random full-size weights) and prints a markdown table
// of predicted and measured weights and peak per rank, the error, and the predicted and the
// benchmark's seconds per step. Qt-free: it builds with scripts/device_build.sh.
//
//   cosmos3-memory-model-check --family nano --ranks 1,2,4,8

#include "app/bench_models.h"
#include "app/bench_support.h"
#include "core/cli/typed_values.h"
#include "core/errors.h"
#include "parallel/engine/layout_planner.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace cosmos3;

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
// The acceptance bound of the settings dialog's memory column.
constexpr double kAllowedErrorPercent = 10;

struct CheckOptions {
  std::string family = "nano";
  bench::VideoShape shape;
  std::vector<int> num_ranks{1, 2, 4, 8};
  std::string dtype = "bfloat16";
  int64_t num_steps = 1;
  int64_t num_warmup = 1;
  std::filesystem::path bench_program;  // empty: cosmos3-bench-parallel beside this program
};

std::vector<int> parse_rank_list(std::string_view flag, std::string_view text) {
  std::vector<int> ranks;
  std::stringstream stream{std::string(text)};
  std::string part;
  while (std::getline(stream, part, ',')) {
    const int value = cli::to_integer<int>(flag, part);
    if (value < 1 || value > 64) {
      throw cli::UsageError(std::string(flag) + ": rank counts must be 1..64, got " + part);
    }
    ranks.push_back(value);
  }
  if (ranks.empty()) throw cli::UsageError(std::string(flag) + " needs at least one count");
  return ranks;
}

cli::Command check_command(CheckOptions& o) {
  cli::Command command("cosmos3-memory-model-check",
                       "Prints the layout planner's predicted peak memory per rank against the\n"
                       "peak cosmos3-bench-parallel --simulate-rank measures, per layout.");
  command.add_flag(bench::family_flag(o.family))
      .add_flag(bench::integer_flag("--height", "video height, a multiple of 16", o.shape.height))
      .add_flag(bench::integer_flag("--width", "video width, a multiple of 16", o.shape.width))
      .add_flag(bench::integer_flag("--frames", "video frames, 1 + 4k", o.shape.frames))
      .add_flag(bench::integer_flag("--steps", "timed steps per layout", o.num_steps))
      .add_flag(bench::integer_flag("--warmup", "untimed steps first", o.num_warmup))
      .add_flag(
          {.name = "--ranks",
           .value_name = "N,N,...",
           .help = "rank counts whose layouts are checked (default 1,2,4,8)",
           .set = [&o](auto flag, auto value) { o.num_ranks = parse_rank_list(flag, value); }})
      .add_flag({.name = "--dtype",
                 .value_name = "T",
                 .help = "bfloat16 or float32 (default bfloat16)",
                 .set =
                     [&o](auto flag, auto value) {
                       o.dtype = std::string(cli::to_enum<std::string_view>(
                           flag, value, {{"bfloat16", "bfloat16"}, {"float32", "float32"}}));
                     }})
      .add_flag({.name = "--bench",
                 .value_name = "PATH",
                 .help = "cosmos3-bench-parallel (default: beside this program)",
                 .set = [&o](auto, auto value) { o.bench_program = std::string(value); }});
  return command;
}

// The benchmark's table row split into its cells.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::stringstream stream(row);
  std::string cell;
  while (std::getline(stream, cell, '|')) {
    const auto first = cell.find_first_not_of(' ');
    const auto last = cell.find_last_not_of(" \n");
    cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  return cells;  // cells[0] is the empty text before the first '|'
}

struct Measured {
  double seconds_per_step = 0;
  double peak_gib = 0;
  double weights_gib = 0;
};

Measured run_bench(const CheckOptions& o, const parallel::ParallelDegrees& degrees) {
  const std::string command =
      o.bench_program.string() + " --simulate-rank --family " + o.family + " --height " +
      std::to_string(o.shape.height) + " --width " + std::to_string(o.shape.width) + " --frames " +
      std::to_string(o.shape.frames) + " --dtype " + o.dtype + " --cfg " +
      std::to_string(degrees.cfg) + " --tp " + std::to_string(degrees.tp) + " --cp " +
      std::to_string(degrees.cp) + " --steps " + std::to_string(o.num_steps) + " --warmup " +
      std::to_string(o.num_warmup);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw UserError("cannot run " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) output += buffer.data();
  // | model | size | layout | ranks | how | s/step | ... | peak GiB/rank | weights GiB/rank | ...
  const std::vector<std::string> cells = cells_of(output);
  if (cells.size() < 15) {
    throw UserError("cosmos3-bench-parallel printed no table row for " + degrees.describe() +
                    " (see its messages above): " + command);
  }
  return {std::stod(cells[6]), std::stod(cells[13]), std::stod(cells[14])};
}

int run_check(CheckOptions o) {
  if (o.bench_program.empty()) {
    o.bench_program =
        std::filesystem::canonical("/proc/self/exe").parent_path() / "cosmos3-bench-parallel";
  }
  parallel::LayoutPlanRequest request;
  request.config = bench::family_config(o.family);
  request.workload.num_generation_tokens = parallel::num_vision_tokens(
      {(o.shape.frames - 1) / 4 + 1, o.shape.height / 16, o.shape.width / 16}, request.config);
  request.workload.dtype = o.dtype == "float32" ? at::kFloat : at::kBFloat16;
  std::printf(
      "%s %lldx%lldx%lld, %lld generation tokens, %s\n\n| layout | ranks | predicted weights "
      "GiB | measured weights GiB | predicted peak GiB | measured peak GiB | peak error | "
      "predicted s/step | bench s/step |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- "
      "|\n",
      o.family.c_str(), static_cast<long long>(o.shape.height),
      static_cast<long long>(o.shape.width), static_cast<long long>(o.shape.frames),
      static_cast<long long>(request.workload.num_generation_tokens), o.dtype.c_str());
  double worst_error = 0;
  for (const int ranks : o.num_ranks) {
    request.num_ranks = ranks;
    for (const parallel::LayoutOption& option : parallel::plan_layouts(request)) {
      const Measured measured = run_bench(o, option.degrees);
      if (measured.peak_gib <= 0) {
        throw UserError("cosmos3-bench-parallel measured no peak for " + option.degrees.describe() +
                        ": peaks are counted on CUDA devices only, run this on a GPU");
      }
      const double predicted_peak = static_cast<double>(option.peak_bytes) / kGiB;
      const double error = 100 * (predicted_peak - measured.peak_gib) / measured.peak_gib;
      worst_error = std::max(worst_error, std::abs(error));
      std::printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %+.1f %% | %.3f | %.3f |\n",
                  option.degrees.describe().c_str(), ranks,
                  static_cast<double>(option.predicted_memory.weight_bytes) / kGiB,
                  measured.weights_gib, predicted_peak, measured.peak_gib, error,
                  option.seconds_per_step, measured.seconds_per_step);
      std::fflush(stdout);
    }
  }
  std::printf("\nlargest peak error: %.1f %% (%s the %.0f %% bound)\n", worst_error,
              worst_error <= kAllowedErrorPercent ? "within" : "OUTSIDE", kAllowedErrorPercent);
  return worst_error <= kAllowedErrorPercent ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  CheckOptions options;
  cli::Command command = check_command(options);
  command.set_action([&options] { return run_check(options); });
  return bench::run_bench_program(command, argc, argv);
}
