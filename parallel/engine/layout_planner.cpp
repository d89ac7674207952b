#include "parallel/engine/layout_planner.h"

#include "parallel/comm/parallel_error.h"

#include <algorithm>
#include <cstdio>

namespace cosmos3::parallel {
namespace {

std::string gib_text(double bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return text;
}

void apply_measurement(const LayoutPlanRequest& request, LayoutOption& option) {
  if (request.measurements == nullptr) return;
  const std::optional<LayoutMeasurement> measured =
      request.measurements->find(LayoutMeasurements::key(request.config, option.degrees,
                                                         request.workload, request.device_name));
  if (!measured) return;
  if (measured->peak_bytes) {
    option.peak_bytes = *measured->peak_bytes;
    option.peak_measured = true;
  }
  if (measured->seconds_per_step) {
    option.seconds_per_step = *measured->seconds_per_step;
    option.seconds_measured = true;
  }
}

void check_fit(const LayoutPlanRequest& request, LayoutOption& option) {
  if (!request.memory_per_rank_bytes) return;
  const double usable =
      static_cast<double>(*request.memory_per_rank_bytes) * (1 - request.headroom_fraction);
  if (static_cast<double>(option.peak_bytes) <= usable) return;
  option.fits = false;
  option.reason = "needs " + gib_text(static_cast<double>(option.peak_bytes)) + " per GPU; " +
                  gib_text(usable) + " usable (free memory less " +
                  std::to_string(static_cast<int>(request.headroom_fraction * 100)) +
                  " % headroom)";
}

}  // namespace

std::vector<ParallelDegrees> candidate_degrees(int num_ranks) {
  std::vector<ParallelDegrees> candidates;
  for (int cfg = 1; cfg <= kMaxCfgDegree; ++cfg) {
    if (num_ranks % cfg != 0) continue;
    const int rest = num_ranks / cfg;
    for (int tp = 1; tp <= rest; ++tp) {
      if (rest % tp == 0) candidates.push_back({cfg, tp, rest / tp});
    }
  }
  return candidates;
}

std::vector<LayoutOption> plan_layouts(const LayoutPlanRequest& request) {
  if (request.num_ranks < 1) {
    throw LayoutError("a layout needs at least one rank; choose at least one GPU");
  }
  std::vector<LayoutOption> options;
  for (const ParallelDegrees& degrees : candidate_degrees(request.num_ranks)) {
    LayoutOption option;
    option.degrees = degrees;
    try {
      option.heads = plan_head_layout(degrees, request.num_ranks, request.config);
    } catch (const LayoutError&) {
      continue;  // the engine refuses it: not a choice
    }
    option.predicted_memory =
        predict_rank_memory(request.config, degrees, request.workload, request.memory_coefficients);
    option.peak_bytes = option.predicted_memory.total_bytes();
    option.seconds_per_step = predict_step_cost(request.config, degrees, option.heads,
                                                request.workload, request.step_coefficients)
                                  .seconds;
    apply_measurement(request, option);
    check_fit(request, option);
    options.push_back(option);
  }
  std::stable_sort(options.begin(), options.end(), [](const auto& a, const auto& b) {
    return a.seconds_per_step < b.seconds_per_step;
  });
  const auto fastest_fitting =
      std::find_if(options.begin(), options.end(), [](const auto& option) { return option.fits; });
  if (fastest_fitting != options.end()) fastest_fitting->recommended = true;
  return options;
}

}  // namespace cosmos3::parallel
