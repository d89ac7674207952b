// cosmos3-launch: runs N ranks of a program on this host. See parallel/comm/local_launcher.h.

#include "parallel/comm/local_launcher.h"
#include "parallel/comm/parallel_error.h"

#include <iostream>

int main(int argc, char** argv) {
  try {
    const auto options =
        cosmos3::parallel::parse_launch_arguments(std::vector<std::string>(argv + 1, argv + argc));
    return cosmos3::parallel::run_local_launch(options, std::cout, std::cerr);
  } catch (const cosmos3::UserError& error) {
    std::cerr << "cosmos3-launch: " << error.what() << "\n";
    return 2;
  }
}
