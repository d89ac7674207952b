#pragma once
// What every benchmark program shares: its common flags, waiting for a device to finish, and
// its peak memory. CUDA calls are made only for CUDA devices, so the programs build
// and run against the CPU wheel too.

#include "core/cli/command_line.h"

#include <c10/core/Device.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cosmos3::bench {

// Flags every benchmark declares the same way on the shared parser (core/cli/command_line.h);
// each writes its target and names its default in the help.
cli::Flag integer_flag(std::string name, std::string help, int64_t& target);
cli::Flag number_flag(std::string name, std::string help, double& target);
// --family: one of the published families, "nano", "super" or "edge" (bench_models.h).
cli::Flag family_flag(std::string& target);
// --device: "cpu", "cuda" or "cuda:N".
cli::Flag device_flag(c10::Device& target);

// "cpu", "cuda" or "cuda:N"; throws cli::UsageError naming `flag` otherwise.
c10::Device parse_device(std::string_view flag, std::string_view text);

// Waits for the device's queued work (a no-op on the CPU).
void synchronize(const c10::Device& device);
// Starts a new peak of allocated device memory (CUDA only).
void reset_peak_memory(const c10::Device& device);
// GiB allocated at the peak since the last reset; 0 on the CPU, which keeps no such count.
double peak_memory_gib(const c10::Device& device);

double seconds_since(std::chrono::steady_clock::time_point start);

// A benchmark's main: parses argv with `command` and runs its action; a UserError (a bad flag
// value, an unusable checkpoint) is printed after the program's name with exit status 1.
int run_bench_program(const cli::Command& command, int argc, char** argv);

}  // namespace cosmos3::bench
