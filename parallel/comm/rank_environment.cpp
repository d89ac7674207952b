#include "parallel/comm/rank_environment.h"

#include "parallel/comm/parallel_error.h"

#include <charconv>
#include <cstdlib>

namespace cosmos3::parallel {
namespace {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

std::optional<std::string> process_variable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

struct Found {
  std::string name;
  std::string value;
};

// Our variable first, then torchrun's.
std::optional<Found> find(const Lookup& lookup, const std::string& ours,
                          const std::string& torchrun) {
  if (auto value = lookup(ours)) return Found{ours, *value};
  if (!torchrun.empty()) {
    if (auto value = lookup(torchrun)) return Found{torchrun, *value};
  }
  return std::nullopt;
}

long long parse_integer(const Found& found, long long min_value, long long max_value) {
  long long parsed = 0;
  const char* end = found.value.data() + found.value.size();
  const auto [stop, error] = std::from_chars(found.value.data(), end, parsed);
  if (error != std::errc() || stop != end || parsed < min_value || parsed > max_value) {
    throw RankEnvironmentError(found.name + "='" + found.value + "' is not an integer in [" +
                               std::to_string(min_value) + ", " + std::to_string(max_value) +
                               "]; start ranks with cosmos3-launch, which sets it");
  }
  return parsed;
}

Found require(const Lookup& lookup, const std::string& ours, const std::string& torchrun) {
  if (auto found = find(lookup, ours, torchrun)) return *found;
  throw RankEnvironmentError(ours + " (or torchrun's " + torchrun +
                             ") is not set: start multi-process runs with "
                             "`cosmos3-launch --nproc N -- PROGRAM ARGS...`");
}

}  // namespace

RankEnvironment RankEnvironment::from_environment(const Lookup& lookup_or_empty) {
  const Lookup lookup = lookup_or_empty ? lookup_or_empty : Lookup(process_variable);
  RankEnvironment environment;
  environment.world_size = static_cast<int>(
      parse_integer(require(lookup, kWorldSizeVariable, "WORLD_SIZE"), 1, 1 << 20));
  const Found rank = require(lookup, kRankVariable, "RANK");
  environment.rank = static_cast<int>(parse_integer(rank, 0, 1 << 20));
  if (environment.rank >= environment.world_size) {
    throw RankEnvironmentError(rank.name + "=" + rank.value + " but the world has only " +
                               std::to_string(environment.world_size) + " ranks (0.." +
                               std::to_string(environment.world_size - 1) + ")");
  }
  const auto local_rank = find(lookup, kLocalRankVariable, "LOCAL_RANK");
  environment.local_rank =
      local_rank ? static_cast<int>(parse_integer(*local_rank, 0, 1 << 20)) : environment.rank;
  const auto local_world = find(lookup, kLocalWorldSizeVariable, "LOCAL_WORLD_SIZE");
  environment.local_world_size = local_world
                                     ? static_cast<int>(parse_integer(*local_world, 1, 1 << 20))
                                     : environment.world_size;
  if (const auto timeout = find(lookup, kTimeoutVariable, "")) {
    environment.timeout = std::chrono::seconds(parse_integer(*timeout, 1, 7 * 24 * 3600));
  }
  // One process needs no rendezvous, so a world of one runs without a master.
  if (environment.world_size == 1) return environment;
  environment.master_addr = require(lookup, kMasterAddrVariable, "MASTER_ADDR").value;
  environment.master_port = static_cast<std::uint16_t>(
      parse_integer(require(lookup, kMasterPortVariable, "MASTER_PORT"), 1, 65535));
  return environment;
}

RankEnvironment RankEnvironment::single_process() { return RankEnvironment{}; }

bool RankEnvironment::is_launched() {
  return process_variable(kRankVariable).has_value() || process_variable("RANK").has_value();
}

}  // namespace cosmos3::parallel
