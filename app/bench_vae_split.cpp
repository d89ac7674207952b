// cosmos3-bench-vae-split: what splitting the VAE decode by rows across N GPUs would give, on
// one GPU. A random-weight, full-size Cosmos3 VAE (Wan2.2 layout, decoder only) decodes normalised
// random latents in bf16 whole (the serial decode), then each rank of an N-rank split alone
// (parallel/vae/simulated_row_slabs.h): the rank's own slab with every halo exchange replaced by
// a local copy of the same shape, the attention's gather by a whole-frame tensor of copies, and
// the writer's collection of the pixels by a whole-frame tensor. Ranks whose work is the same
// (same rows, same neighbours, writer or not) are measured once. The predicted N-rank decode is
// the slowest rank's compute plus its exchanges priced at an assumed link bandwidth and
// per-collective latency (nothing is overlapped); peak memory per rank is measured.

#include "app/bench_support.h"
#include "core/cli/typed_values.h"
#include "core/cli/usage_error.h"
#include "core/errors.h"
#include "core/vae/vae_weight_sources.h"
#include "core/vae/wan_vae.h"
#include "parallel/vae/simulated_row_slabs.h"

#include <ATen/ops/randn.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace cosmos3;

namespace {

// Halo messages are one to a few MB each between NVLink neighbours (H200: 450 GB/s per direction
// per GPU); NCCL send/recv reaches ~100-200 GB/s at those sizes, so 150 GB/s is a middle guess.
constexpr double kDefaultLinkGigabytesPerSecond = 150;
// One intra-node NCCL collective beyond its bytes: launch and handshake.
constexpr double kDefaultCollectiveLatencyMicroseconds = 20;

struct BenchOptions {
  int64_t height = 720;
  int64_t width = 1280;
  int64_t frames = 189;
  std::vector<int> num_ranks{2, 4, 8};
  int simulate_rank = -1;  // -1: every rank (those with the same work once)
  int64_t warmup = 1;
  double link_gigabytes_per_second = kDefaultLinkGigabytesPerSecond;
  double collective_latency_us = kDefaultCollectiveLatencyMicroseconds;
  c10::Device device = c10::Device(c10::kCUDA);
};

std::vector<int> parse_rank_counts(std::string_view flag, std::string_view text) {
  std::vector<int> counts;
  std::stringstream items{std::string(text)};
  for (std::string item; std::getline(items, item, ',');) {
    const int count = cli::to_integer<int>(flag, item);
    if (count < 1) cli::throw_bad_value(flag, "rank counts >= 1, comma-separated", text);
    counts.push_back(count);
  }
  if (counts.empty()) cli::throw_bad_value(flag, "rank counts >= 1, comma-separated", text);
  return counts;
}

cli::Command bench_command(BenchOptions& options) {
  cli::Command command("cosmos3-bench-vae-split",
                       "Times the serial bf16 decode of a random-weight, full-size Cosmos3 VAE\n"
                       "and each rank of a decode split by rows, simulated alone on one GPU,\n"
                       "and prints the predicted split decode time and memory per rank.");
  command
      .add_flag(bench::integer_flag("--height", "video height, a multiple of 16", options.height))
      .add_flag(bench::integer_flag("--width", "video width, a multiple of 16", options.width))
      .add_flag(bench::integer_flag("--frames", "video frames, 1 + 4k", options.frames))
      .add_flag(
          {"--ranks", "N[,N...]", "rank counts of the split (default 2,4,8)",
           [&](auto flag, auto value) { options.num_ranks = parse_rank_counts(flag, value); }})
      .add_flag({"--simulate-rank", "R",
                 "simulate only rank R of each split (default: every rank, those doing the\n"
                 "same work once)",
                 [&](auto flag, auto value) {
                   options.simulate_rank = cli::to_integer<int>(flag, value);
                   if (options.simulate_rank < 0) cli::throw_bad_value(flag, "a rank >= 0", value);
                 }})
      .add_flag(
          bench::integer_flag("--warmup", "untimed decodes before each timed one", options.warmup))
      .add_flag(bench::number_flag("--assumed-link-gbps",
                                   "bandwidth a rank's exchanges get, GB/s (default 150)",
                                   options.link_gigabytes_per_second))
      .add_flag(bench::number_flag("--assumed-collective-latency-us",
                                   "cost of one collective beyond its bytes (default 20)",
                                   options.collective_latency_us))
      .add_flag(bench::device_flag(options.device));
  return command;
}

struct Measurement {
  double seconds = 0;
  double peak_gib = 0;
};

template <typename Decode>
Measurement measure(const BenchOptions& options, Decode&& decode) {
  for (int64_t run = 0; run < options.warmup; ++run) decode();
  bench::synchronize(options.device);
  bench::reset_peak_memory(options.device);
  const auto start = std::chrono::steady_clock::now();
  decode();
  bench::synchronize(options.device);
  return {bench::seconds_since(start), bench::peak_memory_gib(options.device)};
}

// One simulated rank: its compute and memory, and what its real exchanges would cost.
struct RankRow {
  std::string ranks;  // the ranks it stands for
  int64_t latent_rows = 0;
  Measurement compute;
  parallel::SlabTraffic traffic;
  double exchange_seconds = 0;
};

double exchange_seconds(const parallel::SlabTraffic& traffic, const BenchOptions& options) {
  const int64_t num_collectives =
      traffic.num_halo_exchanges + traffic.num_gathers + traffic.num_collects;
  const int64_t bytes = traffic.halo_bytes + traffic.gather_bytes + traffic.collect_bytes;
  return static_cast<double>(num_collectives) * options.collective_latency_us * 1e-6 +
         static_cast<double>(bytes) / (options.link_gigabytes_per_second * 1e9);
}

// Groups of ranks that do the same work (same rows, same neighbours, writer or not), in rank
// order.
std::vector<std::vector<int>> work_classes(int64_t latent_height, int num_ranks, int only_rank) {
  std::map<std::tuple<int64_t, bool, bool, bool>, std::vector<int>> classes;
  for (int rank = 0; rank < num_ranks; ++rank) {
    if (only_rank >= 0 && rank != only_rank) continue;
    const parallel::SlabRows slabs = parallel::split_latent_rows(latent_height, num_ranks, rank);
    classes[{slabs.num_rows(), rank > 0, rank + 1 < num_ranks, rank == 0}].push_back(rank);
  }
  std::vector<std::vector<int>> ordered;
  for (auto& [work, ranks] : classes) ordered.push_back(std::move(ranks));
  std::sort(ordered.begin(), ordered.end());
  return ordered;
}

std::string join(const std::vector<int>& ranks) {
  std::string text;
  for (const int rank : ranks) text += (text.empty() ? "" : ",") + std::to_string(rank);
  return text;
}

int run_bench(const BenchOptions& options) {
  if (options.height % 16 != 0 || options.width % 16 != 0 || (options.frames - 1) % 4 != 0) {
    throw cli::UsageError("--height and --width must be multiples of 16 and --frames 1 + 4k");
  }
  c10::InferenceMode inference_mode;
  const vae::VaeConfig config = vae::cosmos3_reference_vae_config();
  vae::RandomVaeWeightSource source(options.device, at::kBFloat16, 0);
  const vae::WanVae vae(config,
                        vae::load_vae_weights(config, source, at::kBFloat16, options.device,
                                              vae::VaeParts::kDecoderOnly),
                        at::kBFloat16);
  const int64_t latent_frames = (options.frames - 1) / config.scale_factor_temporal + 1;
  const int64_t latent_height = options.height / config.scale_factor_spatial;
  const int64_t latent_width = options.width / config.scale_factor_spatial;
  const at::Tensor latents =
      at::randn({1, config.z_dim, latent_frames, latent_height, latent_width},
                at::TensorOptions().device(options.device).dtype(at::kBFloat16));
  std::printf(
      "VAE decode %lldx%lldx%lld (latent frames x rows x columns %lldx%lldx%lld), bf16, random "
      "full-size weights\n",
      static_cast<long long>(options.height), static_cast<long long>(options.width),
      static_cast<long long>(options.frames), static_cast<long long>(latent_frames),
      static_cast<long long>(latent_height), static_cast<long long>(latent_width));
  std::printf(
      "SIMULATED split ranks: each rank runs alone on this GPU; halo exchanges are local copies "
      "of\n"
      "the same shape, gathers whole-frame tensors of copies (no data moves). Exchanges are\n"
      "priced at %.0f GB/s per rank and %.0f us per collective, not overlapped with compute.\n\n",
      options.link_gigabytes_per_second, options.collective_latency_us);

  // The split gathers the clip on the host, as the pipeline does; the serial decode is shown
  // both ways, the clip on the GPU being how a single-GPU decode held it before.
  const Measurement serial = measure(options, [&] { return vae.decode_chunked(latents, 1); });
  const Measurement serial_host =
      measure(options, [&] { return vae.decode_chunked(latents, 1, {}, vae::PixelsPlace::kHost); });
  std::printf("serial decode, clip gathered on the GPU: %.3f s, peak %.2f GiB\n", serial.seconds,
              serial.peak_gib);
  std::printf("serial decode, clip gathered on the host: %.3f s, peak %.2f GiB\n\n",
              serial_host.seconds, serial_host.peak_gib);

  std::printf(
      "| ranks | simulated rank(s) | latent rows | compute s | peak GiB | halo exchanges | "
      "halo MB | gather MB | collect MB | est. exchange s | est. rank s |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  std::vector<std::string> summary;
  for (const int num_ranks : options.num_ranks) {
    if (num_ranks > latent_height || options.simulate_rank >= num_ranks) {
      std::printf(
          "| %d | skipped: needs 1..%lld ranks and --simulate-rank below it | | | | | | "
          "| | | |\n",
          num_ranks, static_cast<long long>(latent_height));
      continue;
    }
    double slowest = 0;
    double largest_peak = 0;
    for (const std::vector<int>& ranks :
         work_classes(latent_height, num_ranks, options.simulate_rank)) {
      parallel::SimulatedRowSlabs slabs(
          parallel::split_latent_rows(latent_height, num_ranks, ranks.front()));
      RankRow row;
      row.ranks = join(ranks);
      row.latent_rows = slabs.num_latent_rows();
      row.compute = measure(options, [&] {
        slabs.reset_traffic();
        return vae.decode_split(latents, slabs, 1, {}, vae::PixelsPlace::kHost);
      });
      row.traffic = slabs.traffic();
      row.exchange_seconds = exchange_seconds(row.traffic, options);
      const double rank_seconds = row.compute.seconds + row.exchange_seconds;
      slowest = std::max(slowest, rank_seconds);
      largest_peak = std::max(largest_peak, row.compute.peak_gib);
      std::printf(
          "| %d | %s | %lld | %.3f | %.2f | %lld | %.1f | %.1f | %.1f | %.3f | %.3f |\n", num_ranks,
          row.ranks.c_str(), static_cast<long long>(row.latent_rows), row.compute.seconds,
          row.compute.peak_gib, static_cast<long long>(row.traffic.num_halo_exchanges),
          static_cast<double>(row.traffic.halo_bytes) / 1e6,
          static_cast<double>(row.traffic.gather_bytes) / 1e6,
          static_cast<double>(row.traffic.collect_bytes) / 1e6, row.exchange_seconds, rank_seconds);
    }
    char line[256];
    std::snprintf(line, sizeof(line), "| %d | %.3f | %.3f | %.2fx | %.2f | %.2f | %.2f | %.2f |",
                  num_ranks, serial.seconds, slowest, serial.seconds / slowest, serial.peak_gib,
                  serial_host.peak_gib, largest_peak,
                  serial.peak_gib > 0 ? largest_peak / serial.peak_gib : 0.0);
    summary.emplace_back(line);
  }
  std::printf(
      "\n| ranks | serial s | predicted split s (slowest rank) | speedup | serial peak GiB (clip "
      "on GPU) | serial peak GiB (clip on host) | largest rank peak GiB | rank peak / serial on "
      "GPU |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const std::string& line : summary) std::printf("%s\n", line.c_str());
  if (options.simulate_rank >= 0) {
    std::printf("(only rank %d simulated: 'slowest rank' is that rank)\n", options.simulate_rank);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  cli::Command command = bench_command(options);
  command.set_action([&options] { return run_bench(options); });
  return bench::run_bench_program(command, argc, argv);
}
