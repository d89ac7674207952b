// cosmos3-launch: runs N ranks of a program on this host. See parallel/comm/local_launcher.h.

#include "core/cli/usage_error.h"
#include "parallel/comm/local_launcher.h"

#include <iostream>

int main(int argc, char** argv) {
  cosmos3::parallel::LaunchOptions options;
  try {
    options =
        cosmos3::parallel::parse_launch_arguments(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const cosmos3::cli::UsageError& error) {
    std::cerr << "cosmos3-launch: " << error.what() << "\n\n" << error.usage();
    return cosmos3::cli::kUsageExitCode;
  }
  if (options.help) {
    std::cout << cosmos3::parallel::launch_usage();
    return 0;
  }
  try {
    return cosmos3::parallel::run_local_launch(options, std::cout, std::cerr);
  } catch (const cosmos3::UserError& error) {
    // Not a usage mistake (no free port, fork failed): the run failed.
    std::cerr << "cosmos3-launch: " << error.what() << "\n";
    return 1;
  }
}
