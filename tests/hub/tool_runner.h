#pragma once
// Runs cosmos3-tool's model subcommands in-process, as its main does (UserError: exit 1 with
// "cosmos3-tool: message"), with std::cout and std::cerr captured.

#include "app/download/download_commands.h"
#include "core/errors.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace cosmos3::test {

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline ToolRun run_model_tool(const std::vector<std::string>& arguments) {
  cli::Command tool("cosmos3-tool", "Tensor-level utilities for checkpoints and parity checks.");
  tool.add_subcommand(tool::download_command())
      .add_subcommand(tool::add_model_command())
      .add_subcommand(tool::list_models_command());
  std::vector<std::string> storage = {"cosmos3-tool"};
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : storage) {
    argv.push_back(argument.data());
  }
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* const old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* const old_err = std::cerr.rdbuf(err.rdbuf());
  ToolRun run;
  try {
    run.exit_code =
        cli::run_main(tool, static_cast<int>(argv.size()), argv.data(), std::cout, std::cerr);
  } catch (const UserError& error) {
    std::cerr << "cosmos3-tool: " << error.what() << '\n';
    run.exit_code = 1;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace cosmos3::test
