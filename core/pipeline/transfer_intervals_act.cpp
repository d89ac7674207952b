#include "core/pipeline/transfer_intervals_act.h"

#include "core/pipeline/generation_request.h"

namespace cosmos3::pipeline {

void check_intervals_act(const TransferGuidance& guidance) {
  if (guidance.guidance_interval && guidance.guidance_scale <= 1.0) {
    throw RequestError(
        "--guidance-interval limits text guidance, which is off for this job (guidance scale "
        "1 or less; without --guidance-scale, the hint's preset): raise --guidance-scale above "
        "1 or leave --guidance-interval out");
  }
  if (guidance.control_guidance_interval && guidance.control_guidance == 1.0) {
    throw RequestError(
        "--control-guidance-interval limits control guidance, which is off for this job "
        "(control guidance 1; without --control-guidance, the hint's preset): give "
        "--control-guidance another value or leave --control-guidance-interval out");
  }
}

}  // namespace cosmos3::pipeline
