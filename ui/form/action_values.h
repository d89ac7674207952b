#pragma once
// The action panel's part of the form: which action mode (or none, for a plain video job) and
// its settings, as the protocol's action job fields (docs/action_modes.md) name them. Kept free
// of libtorch so that every ui/ library can include the form's values.

#include <QString>
#include <QStringList>

namespace cosmos3::ui {

enum class ActionModeChoice { kNone, kPolicy, kForwardDynamics, kInverseDynamics };

// "policy", "forward_dynamics", "inverse_dynamics" (the job's action_mode); empty for kNone.
inline QString action_mode_key(ActionModeChoice mode) {
  switch (mode) {
    case ActionModeChoice::kPolicy:
      return QStringLiteral("policy");
    case ActionModeChoice::kForwardDynamics:
      return QStringLiteral("forward_dynamics");
    case ActionModeChoice::kInverseDynamics:
      return QStringLiteral("inverse_dynamics");
    case ActionModeChoice::kNone:
      break;
  }
  return {};
}

inline QString display_name(ActionModeChoice mode) {
  switch (mode) {
    case ActionModeChoice::kPolicy:
      return QStringLiteral("Policy (image → video and actions)");
    case ActionModeChoice::kForwardDynamics:
      return QStringLiteral("Forward dynamics (image and actions → video)");
    case ActionModeChoice::kInverseDynamics:
      return QStringLiteral("Inverse dynamics (video → actions)");
    case ActionModeChoice::kNone:
      break;
  }
  return QStringLiteral("None (video only)");
}

struct ActionValues {
  ActionModeChoice mode = ActionModeChoice::kNone;
  QString domain;
  int chunk_size = 16;  // action steps; the clip has chunk_size + 1 frames
  int resolution_tier = 480;
  QString view_point = QStringLiteral("ego_view");
  // Forward dynamics' actions file, and why it cannot be used (unreadable, malformed, still
  // being read); the problem is empty when it can.
  QString actions_path;
  QString actions_problem;

  bool enabled() const { return mode != ActionModeChoice::kNone; }
};

}  // namespace cosmos3::ui
