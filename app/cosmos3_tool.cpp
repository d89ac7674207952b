// cosmos3-tool: tensor-level utilities for checkpoints and parity checks.

#include "app/tool_commands.h"
#include "core/errors.h"

#include <iostream>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view kUsage =
    "usage: cosmos3-tool COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  inspect PATH   list the tensors of a .safetensors file, a sharded\n"
    "                 *.safetensors.index.json, or a folder holding one\n"
    "  forward ...    run one transformer forward on named input tensors\n"
    "                 (cosmos3-tool forward --help)\n"
    "  make-tiny-checkpoint OUT_DIR [--seed N]\n"
    "                 write a tiny random-weight Cosmos3 pipeline folder (real\n"
    "                 diffusers layout) for trying the tools without a release\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> arguments(argv + 1, argv + argc);
  if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h") {
    (arguments.empty() ? std::cerr : std::cout) << kUsage;
    return arguments.empty() ? cosmos3::tool::kUsageExitCode : 0;
  }
  const std::string_view command = arguments.front();
  const std::span<const std::string_view> command_arguments(arguments.begin() + 1, arguments.end());
  try {
    if (command == "inspect") {
      return cosmos3::tool::run_inspect(command_arguments);
    }
    if (command == "forward") {
      return cosmos3::tool::run_forward(command_arguments);
    }
    if (command == "make-tiny-checkpoint") {
      return cosmos3::tool::run_make_tiny_checkpoint(command_arguments);
    }
    std::cerr << "cosmos3-tool: unknown command '" << command << "'\n\n" << kUsage;
    return cosmos3::tool::kUsageExitCode;
  } catch (const cosmos3::UserError& error) {
    std::cerr << "cosmos3-tool: " << error.what() << '\n';
    return 1;
  }
}
