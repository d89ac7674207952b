#include "core/pipeline/action_domain.h"

#include "core/pipeline/generation_request.h"

#include <algorithm>

namespace cosmos3::pipeline {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

const std::vector<EmbodimentDomain>& embodiment_domains() {
  // Widths: av/camera_pose one 9D pose; single arms 9D pose + 1D gripper; dual arms twice that;
  // humanoids add an ego pose; hands add 15D fingertips per hand.
  static const std::vector<EmbodimentDomain> domains{
      {"no_action", 0, std::nullopt},
      {"av", 1, 9},
      {"camera_pose", 2, 9},
      {"hand_pose", 3, 57},
      {"pusht", 4, 2},
      {"libero", 5, std::nullopt},
      {"umi", 6, 10},
      {"bridge_orig_lerobot", 7, 10},
      {"droid_lerobot", 8, 10},
      {"robomind-franka", 8, 10},
      {"galbot", 9, 30},
      {"robomind-franka-dual", 12, 20},
      {"robomind-ur", 13, 10},
      {"agibotworld", 15, 29},
      {"agibot_gear_gripper", 15, 29},
      {"agibot_gear_gripper_ext", 15, 29},
      {"fractal", 20, 10},
  };
  return domains;
}

std::vector<std::string> runnable_domain_names() {
  std::vector<std::string> names;
  for (const EmbodimentDomain& domain : embodiment_domains()) {
    if (domain.raw_action_width) {
      names.push_back(domain.name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

const EmbodimentDomain& runnable_domain(const std::string& name) {
  const auto& domains = embodiment_domains();
  const auto found = std::find_if(domains.begin(), domains.end(),
                                  [&](const EmbodimentDomain& d) { return d.name == name; });
  if (found == domains.end()) {
    throw RequestError("--domain '" + name +
                       "' is not a Cosmos3 embodiment domain; choose one of " +
                       joined(runnable_domain_names()));
  }
  if (!found->raw_action_width) {
    throw RequestError("--domain '" + name +
                       "' has no fixed action width (it depends on the dataset), so actions "
                       "cannot be run for it; choose one of " +
                       joined(runnable_domain_names()));
  }
  return *found;
}

}  // namespace cosmos3::pipeline
