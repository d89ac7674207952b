#pragma once
// The VAE row split a parallel layout runs its decode and encode with: every rank of the world
// (all CFG, TP and CP groups together), rank 0 the writer.

#include "parallel/comm/world.h"
#include "parallel/vae/group_row_slabs.h"

#include <memory>

namespace cosmos3::parallel {

// Null, so the VAE runs whole on the ranks that need it, when `enabled` is false, when there
// is no world (running alone) or a world of one, or when the frame has fewer latent rows than
// the world has ranks (every slab needs a row).
std::unique_ptr<GroupRowSlabs> world_row_split(World* world, int64_t num_latent_rows, bool enabled);

}  // namespace cosmos3::parallel
