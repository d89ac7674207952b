#pragma once
// Which arithmetic each denoising step runs in, and whether a precision can run at all where
// the model lives. FP8 follows NVIDIA's published recipe for its FP8 checkpoint: the first
// steps lay out the scene and the last ones settle fine detail, where FP8's rounding shows
// most, so those stay bf16 and only the middle steps run FP8 GEMMs.

#include "core/model/precision.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cosmos3::pipeline {

// Steps kept in bf16 at each end of an FP8 run.
inline constexpr int64_t kNumBf16EdgeSteps = 3;

// The precision of step `step` (0-based) of `num_steps`: bf16 for the first and the last
// kNumBf16EdgeSteps (so every step of a run of 6 or fewer), `requested` between them.
model::Precision step_precision(model::Precision requested, int64_t step, int64_t num_steps);

// "bf16" or "fp8": the CLI's, the job's and generation.json's spelling.
std::string_view precision_name(model::Precision precision);

// Why `precision` cannot run on `device` with a model in `dtype` ("the device is cpu, not a
// CUDA GPU"), or an empty string when it can. FP8 GEMMs need a CUDA device and a bf16 model.
std::string precision_blocker(model::Precision precision, c10::Device device,
                              c10::ScalarType dtype);

// Throws RequestError naming the blocker and the fix (--precision bf16) when
// precision_blocker finds one.
void check_precision_supported(model::Precision precision, c10::Device device,
                               c10::ScalarType dtype);

}  // namespace cosmos3::pipeline
