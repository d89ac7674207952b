#pragma once
// The collectives of communicator.h as values, for counting them and for tagging the messages
// on the wire so that ranks calling different collectives fail loudly instead of corrupting data.

#include <array>
#include <cstddef>
#include <string_view>

namespace cosmos3::parallel {

enum class CollectiveKind : unsigned {
  all_reduce_sum,
  all_to_all,
  all_gather,
  broadcast,
  send_recv,
  barrier,
};

inline constexpr std::size_t kNumCollectiveKinds = 6;

inline constexpr std::array<std::string_view, kNumCollectiveKinds> kCollectiveNames = {
    "all_reduce_sum", "all_to_all", "all_gather", "broadcast", "send_recv", "barrier"};

constexpr std::string_view collective_name(CollectiveKind kind) {
  return kCollectiveNames[static_cast<std::size_t>(kind)];
}

}  // namespace cosmos3::parallel
