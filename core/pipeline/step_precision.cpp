#include "core/pipeline/step_precision.h"

#include "core/pipeline/generation_request.h"

namespace cosmos3::pipeline {

model::Precision step_precision(model::Precision requested, int64_t step, int64_t num_steps) {
  const bool at_an_edge = step < kNumBf16EdgeSteps || step >= num_steps - kNumBf16EdgeSteps;
  return at_an_edge ? model::Precision::kBf16 : requested;
}

std::string_view precision_name(model::Precision precision) {
  return precision == model::Precision::kFp8 ? "fp8" : "bf16";
}

std::string precision_blocker(model::Precision precision, c10::Device device,
                              c10::ScalarType dtype) {
  if (precision != model::Precision::kFp8) return {};
  if (!device.is_cuda()) return "the device is " + device.str() + ", not a CUDA GPU";
  if (dtype != c10::kBFloat16) {
    const std::string name = dtype == c10::kFloat ? "float32" : c10::toString(dtype);
    return "the model dtype is " + name + ", not bfloat16";
  }
  return {};
}

void check_precision_supported(model::Precision precision, c10::Device device,
                               c10::ScalarType dtype) {
  const std::string blocker = precision_blocker(precision, device, dtype);
  if (!blocker.empty()) {
    throw RequestError("--precision fp8 runs only on a CUDA GPU with --dtype bfloat16, but " +
                       blocker + ": use --precision bf16");
  }
}

}  // namespace cosmos3::pipeline
