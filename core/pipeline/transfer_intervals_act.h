#pragma once
// A guidance interval limits a guidance that must be on somewhere: one given for a guidance that
// is off (perhaps by the hint's preset) would change nothing, which is not what the user meant.
// Shared by the worker (transfer_job.cpp) and the studio's transfer panel, so both refuse the
// same jobs with the same words.

#include "core/pipeline/transfer_denoise_loop.h"

namespace cosmos3::pipeline {

// Throws RequestError naming the interval, why it does nothing and the fix.
void check_intervals_act(const TransferGuidance& guidance);

}  // namespace cosmos3::pipeline
