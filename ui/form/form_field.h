#pragma once
// The inputs of the generation form that can carry a message next to them.

namespace cosmos3::ui {

enum class FormField {
  kPrompt,
  kNegativePrompt,
  kNumSteps,
  kGuidanceScale,
  kFlowShift,
  kFps,
  kSize,
  kNumFrames,
  kSeed,
  kMedia,
  kConditionFrameIndexes,
  // A rule that no single field breaks (the engine's whole-request check).
  kRequest,
};

}  // namespace cosmos3::ui
