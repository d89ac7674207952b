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
  // The action panel: a rule of the action job as a whole (mode and input, domain, tier), and
  // the actions file of forward dynamics.
  kAction,
  kActionsFile,
  // The transfer panel: its control videos, source video or settings (the panel shows each
  // problem beside its field; this carries the first for the form's validity).
  kTransfer,
  // A rule that no single field breaks (the engine's whole-request check).
  kRequest,
};

}  // namespace cosmos3::ui
