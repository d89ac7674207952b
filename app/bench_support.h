#pragma once
// What every benchmark program shares: "--flag value" arguments, waiting for a device to
// finish, and its peak memory. CUDA calls are made only for CUDA devices, so the programs build
// and run against the CPU wheel too.

#include <c10/core/Device.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace cosmos3::bench {

// "--flag value" pairs and bare switches. Throws UserError naming an unknown flag, a flag
// without its value, or a value that is not a number; the message lists the known flags.
class BenchArguments {
 public:
  BenchArguments(int argc, char** argv, std::set<std::string> value_flags,
                 std::set<std::string> switches = {});

  bool has(const std::string& flag) const;
  std::string text(const std::string& flag, const std::string& fallback) const;
  int64_t integer(const std::string& flag, int64_t fallback) const;
  double number(const std::string& flag, double fallback) const;

 private:
  std::string known_flags() const;

  std::set<std::string> value_flags_;
  std::set<std::string> switches_;
  std::map<std::string, std::string> values_;
};

// "cpu", "cuda" or "cuda:N"; throws UserError otherwise.
c10::Device parse_device(const std::string& text);

// Waits for the device's queued work (a no-op on the CPU).
void synchronize(const c10::Device& device);
// Starts a new peak of allocated device memory (CUDA only).
void reset_peak_memory(const c10::Device& device);
// GiB allocated at the peak since the last reset; 0 on the CPU, which keeps no such count.
double peak_memory_gib(const c10::Device& device);

double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace cosmos3::bench
