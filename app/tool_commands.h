#pragma once
// The sub-commands of cosmos3-tool, declared on the shared parser (core/cli/command_line.h):
// each returns its Command, with its flags bound to its own options and its action run when
// it is selected; user errors propagate as cosmos3::UserError.

#include "core/cli/command_line.h"

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace cosmos3::tool {

// Writes the embedded tiny checkpoint (random weights, real diffusers layout) to `root`.
void write_tiny_checkpoint(const std::filesystem::path& root, uint64_t seed);

cli::Command inspect_command();
cli::Command forward_command();
cli::Command make_tiny_checkpoint_command();
cli::Command make_random_checkpoint_command();

// Writes `text` (with a final newline) at `path`, creating its folder; throws UserError.
void write_text(const std::filesystem::path& path, std::string_view text);

}  // namespace cosmos3::tool
