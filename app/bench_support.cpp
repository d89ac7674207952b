#include "app/bench_support.h"

#include "core/errors.h"

#include <ATen/DeviceAccelerator.h>
#include <c10/util/Exception.h>

#include <stdexcept>

namespace cosmos3::bench {
namespace {

c10::DeviceIndex index_of(const c10::Device& device) {
  return device.index() < 0 ? 0 : device.index();
}

}  // namespace

BenchArguments::BenchArguments(int argc, char** argv, std::set<std::string> value_flags,
                               std::set<std::string> switches)
    : value_flags_(std::move(value_flags)), switches_(std::move(switches)) {
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (switches_.count(flag) != 0) {
      values_[flag] = "";
    } else if (value_flags_.count(flag) == 0) {
      throw UserError("unknown option '" + flag + "' (known: " + known_flags() + ")");
    } else if (index + 1 >= argc) {
      throw UserError("option '" + flag + "' needs a value");
    } else {
      values_[flag] = argv[++index];
    }
  }
}

std::string BenchArguments::known_flags() const {
  std::string names;
  for (const auto* flags : {&value_flags_, &switches_}) {
    for (const std::string& flag : *flags) {
      names += (names.empty() ? "" : " ") + flag;
    }
  }
  return names;
}

bool BenchArguments::has(const std::string& flag) const { return values_.count(flag) != 0; }

std::string BenchArguments::text(const std::string& flag, const std::string& fallback) const {
  const auto found = values_.find(flag);
  return found == values_.end() ? fallback : found->second;
}

int64_t BenchArguments::integer(const std::string& flag, int64_t fallback) const {
  const std::string value = text(flag, "");
  if (value.empty()) {
    return fallback;
  }
  std::size_t num_parsed = 0;
  try {
    const int64_t parsed = std::stoll(value, &num_parsed);
    if (num_parsed == value.size()) {
      return parsed;
    }
  } catch (const std::logic_error&) {
  }
  throw UserError("option '" + flag + "' takes an integer, got '" + value + "'");
}

double BenchArguments::number(const std::string& flag, double fallback) const {
  const std::string value = text(flag, "");
  if (value.empty()) {
    return fallback;
  }
  std::size_t num_parsed = 0;
  try {
    const double parsed = std::stod(value, &num_parsed);
    if (num_parsed == value.size()) {
      return parsed;
    }
  } catch (const std::logic_error&) {
  }
  throw UserError("option '" + flag + "' takes a number, got '" + value + "'");
}

c10::Device parse_device(const std::string& text) {
  try {
    const c10::Device device(text);
    if (device.is_cpu() || device.is_cuda()) {
      return device;
    }
  } catch (const c10::Error&) {
  }
  throw UserError("--device must be cpu, cuda or cuda:N, got '" + text + "'");
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

}  // namespace cosmos3::bench
