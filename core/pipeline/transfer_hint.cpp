#include "core/pipeline/transfer_hint.h"

#include "core/pipeline/generation_request.h"

#include <algorithm>
#include <array>

namespace cosmos3::pipeline {
namespace {

struct HintEntry {
  ControlHint hint;
  const char* name;
  TransferPreset preset;
};

// Cosmos3's documented transfer recipes: edge, blur and depth share one; segmentation leans on
// its control harder; world-scenario maps run shorter clips at 10 fps and steer mostly through
// the control axis.
const std::array<HintEntry, 5>& hint_table() {
  static const std::array<HintEntry, 5> table{{
      {ControlHint::kEdge, "edge", {3.0, 1.5, 10.0, 121, 30.0}},
      {ControlHint::kBlur, "blur", {3.0, 1.5, 10.0, 121, 30.0}},
      {ControlHint::kDepth, "depth", {3.0, 1.5, 10.0, 121, 30.0}},
      {ControlHint::kSeg, "seg", {3.0, 2.0, 10.0, 121, 30.0}},
      {ControlHint::kWsm, "wsm", {1.0, 3.0, 10.0, 101, 10.0}},
  }};
  return table;
}

const HintEntry& entry_of(ControlHint hint) {
  const auto& table = hint_table();
  const auto found = std::find_if(table.begin(), table.end(),
                                  [hint](const HintEntry& entry) { return entry.hint == hint; });
  return *found;
}

}  // namespace

std::string control_hint_name(ControlHint hint) { return entry_of(hint).name; }

ControlHint parse_control_hint(const std::string& name) {
  std::string accepted;
  for (const HintEntry& entry : hint_table()) {
    if (name == entry.name) {
      return entry.hint;
    }
    accepted += (accepted.empty() ? "" : ", ") + std::string(entry.name);
  }
  throw RequestError("unknown control hint '" + name + "': use one of " + accepted);
}

const std::vector<ControlHint>& control_hints_in_order() {
  static const std::vector<ControlHint> hints = [] {
    std::vector<ControlHint> ordered;
    for (const HintEntry& entry : hint_table()) {
      ordered.push_back(entry.hint);
    }
    return ordered;
  }();
  return hints;
}

const TransferPreset& transfer_preset(ControlHint hint) { return entry_of(hint).preset; }

const TransferPreset& transfer_preset_for(const std::vector<ControlHint>& hints) {
  if (hints.empty()) {
    throw RequestError("transfer needs at least one control video (--control HINT=FILE)");
  }
  return transfer_preset(*std::min_element(hints.begin(), hints.end()));
}

}  // namespace cosmos3::pipeline
