#pragma once
// The embodiment domains an action checkpoint was trained on: the id that picks the domain's
// action projections, and the width of its raw action vectors (the unified action layout packs
// 9D poses, 1D grippers and 15D fingertip blocks per embodiment). Domains whose width depends
// on the dataset (libero) have none and cannot be run, as in the reference.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::pipeline {

struct EmbodimentDomain {
  std::string name;
  int64_t domain_id = 0;
  std::optional<int64_t> raw_action_width;  // none: not runnable
};

// Every known domain, in the reference's order.
const std::vector<EmbodimentDomain>& embodiment_domains();

// The names of the domains that can be run (they have a raw width), for choice lists.
std::vector<std::string> runnable_domain_names();

// Throws RequestError naming the domain and the runnable choices when `name` is unknown or has
// no raw action width.
const EmbodimentDomain& runnable_domain(const std::string& name);

}  // namespace cosmos3::pipeline
