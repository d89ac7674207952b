#pragma once
// Small agreements every rank of a generation must reach so that they stay in lockstep: one
// seed (so all draw the same noise) and one decision to stop (so none waits forever in a
// collective that the others have left).

#include "parallel/comm/world.h"

#include <cstdint>
#include <string>

namespace cosmos3::parallel {

// Rank 0's seed, on every rank of `world`.
uint64_t agree_on_seed(World& world, uint64_t seed);

// True on every rank when any rank asked to cancel.
bool agree_on_cancel(World& world, bool cancel_requested);

// Rank 0's text on every rank (the others' `text` is ignored): how a resident group hands each
// command to all its ranks.
std::string agree_on_text(World& world, const std::string& text);

}  // namespace cosmos3::parallel
