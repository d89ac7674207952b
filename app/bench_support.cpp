#include "app/bench_support.h"

#include "core/cli/typed_values.h"
#include "core/errors.h"

#include <ATen/DeviceAccelerator.h>
#include <c10/util/Exception.h>

#include <iostream>
#include <sstream>

namespace cosmos3::bench {
namespace {

c10::DeviceIndex index_of(const c10::Device& device) {
  return device.index() < 0 ? 0 : device.index();
}

}  // namespace

cli::Flag integer_flag(std::string name, std::string help, int64_t& target) {
  return {
      .name = std::move(name),
      .value_name = "N",
      .help = std::move(help) + " (default " + std::to_string(target) + ")",
      .set = [&target](auto flag, auto value) { target = cli::to_integer<int64_t>(flag, value); }};
}

cli::Flag number_flag(std::string name, std::string help, double& target) {
  std::ostringstream default_text;
  default_text << target;
  return {.name = std::move(name),
          .value_name = "X",
          .help = std::move(help) + " (default " + default_text.str() + ")",
          .set = [&target](auto flag, auto value) { target = cli::to_number(flag, value); }};
}

cli::Flag family_flag(std::string& target) {
  return {.name = "--family",
          .value_name = "F",
          .help = "nano, super or edge (default " + target + ")",
          .set = [&target](auto flag, auto value) {
            target = cli::to_enum<std::string_view>(
                flag, value, {{"nano", "nano"}, {"super", "super"}, {"edge", "edge"}});
          }};
}

cli::Flag device_flag(c10::Device& target) {
  return {.name = "--device",
          .value_name = "D",
          .help = "cpu, cuda or cuda:N (default " + target.str() + ")",
          .set = [&target](auto flag, auto value) { target = parse_device(flag, value); }};
}

c10::Device parse_device(std::string_view flag, std::string_view text) {
  try {
    const c10::Device device{std::string(text)};
    if (device.is_cpu() || device.is_cuda()) {
      return device;
    }
  } catch (const c10::Error&) {
  }
  throw cli::UsageError(std::string(flag) + " takes cpu, cuda or cuda:N, got '" +
                        std::string(text) + "'");
}

void synchronize(const c10::Device& device) {
  if (device.is_cuda()) {
    at::accelerator::synchronizeDevice(index_of(device));
  }
}

void reset_peak_memory(const c10::Device& device) {
  if (device.is_cuda()) {
    at::accelerator::resetPeakStats(index_of(device));
  }
}

double peak_memory_gib(const c10::Device& device) {
  if (!device.is_cuda()) {
    return 0;
  }
  const auto stats = at::accelerator::getDeviceStats(index_of(device));
  return static_cast<double>(stats.allocated_bytes[0].peak) / (1 << 30);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run_bench_program(const cli::Command& command, int argc, char** argv) {
  try {
    return cli::run_main(command, argc, argv, std::cout, std::cerr);
  } catch (const UserError& error) {
    std::cerr << command.full_name() << ": " << error.what() << '\n';
    return 1;
  }
}

}  // namespace cosmos3::bench
