#include "core/scheduler/flow_sigmas.h"

#include <c10/util/Exception.h>

namespace cosmos3::scheduler {

std::vector<double> numpy_linspace(double start, double stop, int64_t num_values) {
  TORCH_CHECK(num_values >= 0, "linspace needs a non-negative count, got ", num_values);
  std::vector<double> values(static_cast<size_t>(num_values));
  const int64_t num_intervals = num_values - 1;
  const double delta = stop - start;
  const double step = num_intervals > 0 ? delta / static_cast<double>(num_intervals) : 0.0;
  for (int64_t i = 0; i < num_values; ++i) {
    const auto index = static_cast<double>(i);
    double value = 0;
    if (num_intervals <= 0) {
      value = index * delta;
    } else if (step == 0) {
      // numpy's path for denormal steps: divide first, then scale.
      value = index / static_cast<double>(num_intervals) * delta;
    } else {
      value = index * step;
    }
    values[static_cast<size_t>(i)] = value + start;
  }
  if (num_values > 1) {
    values.back() = stop;
  }
  return values;
}

double shift_flow_sigma(double sigma, double shift) {
  return shift * sigma / (1 + (shift - 1) * sigma);
}

std::vector<double> native_flow_schedule_sigmas(int64_t num_inference_steps,
                                                int64_t num_train_timesteps) {
  std::vector<double> sigmas = numpy_linspace(1.0 - 1.0 / static_cast<double>(num_train_timesteps),
                                              0.0, num_inference_steps + 1);
  sigmas.pop_back();
  return sigmas;
}

}  // namespace cosmos3::scheduler
