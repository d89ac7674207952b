// cosmos3-tool: tensor-level utilities for checkpoints and parity checks.

#include "app/tool_commands.h"
#ifdef COSMOS3_WITH_HUB
#include "app/download/download_commands.h"
#endif
#include "core/errors.h"

#include <iostream>

int main(int argc, char** argv) {
  cosmos3::cli::Command tool("cosmos3-tool",
                             "Tensor-level utilities for checkpoints and parity checks.");
  tool.add_subcommand(cosmos3::tool::inspect_command())
      .add_subcommand(cosmos3::tool::forward_command())
      .add_subcommand(cosmos3::tool::make_tiny_checkpoint_command())
      .add_subcommand(cosmos3::tool::make_random_checkpoint_command());
#ifdef COSMOS3_WITH_HUB
  tool.add_subcommand(cosmos3::tool::download_command())
      .add_subcommand(cosmos3::tool::add_model_command())
      .add_subcommand(cosmos3::tool::list_models_command());
#endif
  try {
    return cosmos3::cli::run_main(tool, argc, argv, std::cout, std::cerr);
  } catch (const cosmos3::UserError& error) {
    std::cerr << "cosmos3-tool: " << error.what() << '\n';
    return 1;
  }
}
