#pragma once
// The sub-commands of cosmos3-tool. Each takes the arguments after its own name and returns
// the process exit code; user errors propagate as cosmos3::UserError.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace cosmos3::tool {

// Writes the embedded tiny checkpoint (random weights, real diffusers layout) to `root`.
void write_tiny_checkpoint(const std::filesystem::path& root, uint64_t seed);

// Exit code for a command line the tool cannot parse.
inline constexpr int kUsageExitCode = 2;

int run_inspect(std::span<const std::string_view> arguments);
int run_forward(std::span<const std::string_view> arguments);
int run_make_tiny_checkpoint(std::span<const std::string_view> arguments);

}  // namespace cosmos3::tool
