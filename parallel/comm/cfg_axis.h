#pragma once
// The classifier-free-guidance axis has one rank group per guidance pass of a step, and no job
// runs more than three: transfer's cond with controls, cond without controls and uncond.
// Guided vision jobs run two (cond and uncond), so a cfg axis of 3 leaves them a group without
// a pass of its own.

namespace cosmos3::parallel {

inline constexpr int kMaxCfgDegree = 3;

}  // namespace cosmos3::parallel
