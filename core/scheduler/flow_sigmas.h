#pragma once
// Flow-matching sigma schedules, computed in float64 exactly as the reference's numpy code so
// the float32 tables that the schedulers keep agree with it bit for bit.

#include <cstdint>
#include <vector>

namespace cosmos3::scheduler {

// numpy.linspace(start, stop, num) with endpoint=True, rounding step for step like numpy.
std::vector<double> numpy_linspace(double start, double stop, int64_t num_values);

// shift * sigma / (1 + (shift - 1) * sigma): moves the schedule towards high noise for shift > 1.
double shift_flow_sigma(double sigma, double shift);

// The "native flow" schedule of Cosmos3 pipelines with use_native_flow_schedule (Edge):
// linspace(1 - 1/num_train_timesteps, 0, num_steps + 1) without its final 0.
std::vector<double> native_flow_schedule_sigmas(int64_t num_inference_steps,
                                                int64_t num_train_timesteps);

}  // namespace cosmos3::scheduler
