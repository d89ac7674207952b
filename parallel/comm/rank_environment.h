#pragma once
// Who this process is in a multi-process run, read from the environment that cosmos3-launch
// (or torchrun) sets for every rank.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cosmos3::parallel {

// The variables cosmos3-launch sets; torchrun's RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and
// MASTER_PORT are accepted as fallbacks so either launcher works.
inline constexpr const char* kRankVariable = "COSMOS3_RANK";
inline constexpr const char* kWorldSizeVariable = "COSMOS3_WORLD_SIZE";
inline constexpr const char* kLocalRankVariable = "COSMOS3_LOCAL_RANK";
inline constexpr const char* kLocalWorldSizeVariable = "COSMOS3_LOCAL_WORLD_SIZE";
inline constexpr const char* kMasterAddrVariable = "COSMOS3_MASTER_ADDR";
inline constexpr const char* kMasterPortVariable = "COSMOS3_MASTER_PORT";
// Seconds a collective waits for a silent peer before failing; also bounds rendezvous.
inline constexpr const char* kTimeoutVariable = "COSMOS3_COMM_TIMEOUT_S";

struct RankEnvironment {
  int rank = 0;
  int world_size = 1;
  // Index among the ranks on this host; picks the GPU on the NCCL backend.
  int local_rank = 0;
  int local_world_size = 1;
  std::string master_addr = "127.0.0.1";
  std::uint16_t master_port = 0;
  // A peer silent for this long fails the collective instead of hanging it.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};

  // Throws RankEnvironmentError naming the variable when one is missing or malformed.
  // `lookup` returns a variable's value or nullopt; by default it reads the process environment.
  static RankEnvironment from_environment(
      const std::function<std::optional<std::string>(const std::string&)>& lookup = {});

  // A world of one: no store, no sockets; every collective is a no-op.
  static RankEnvironment single_process();

  // True when the environment names a rank at all (COSMOS3_RANK or RANK), so a program can run
  // either under a launcher or alone.
  static bool is_launched();
};

}  // namespace cosmos3::parallel
