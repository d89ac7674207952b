#pragma once
// This process's part in a parallel layout, for the programs that run the model (the CLI's
// generate and forward commands, the studio's worker): alone, or one rank started by a
// launcher (cosmos3-launch or torchrun variables in the environment).

#include "core/model/transformer.h"
#include "parallel/comm/world.h"
#include "parallel/engine/rank_mesh.h"

#include <c10/core/Device.h>

#include <filesystem>
#include <memory>
#include <string>

namespace cosmos3::parallel {

struct RankSession {
  std::unique_ptr<World> world;  // null when running alone
  RankMesh mesh;
  c10::Device device = c10::Device(c10::kCPU);  // where this rank's model and tensors live

  std::string describe() const;  // "rank 1 of 4 (cfg 1 x cp 2 x tp 2, on cuda:1)"
};

// Alone (not launched): a single-process mesh on `device`; the degrees must all be 1. Launched:
// checks the degrees against the model's config and the world size (LayoutError naming the
// valid choices, before any weight is read), connects (NCCL for a CUDA device, one GPU per
// rank; our CPU transport otherwise) and forms the mesh.
RankSession join_ranks(const std::filesystem::path& model_dir, const ParallelDegrees& degrees,
                       c10::Device device);

// The session's transformer on its device: the whole model alone (the plain loader, with its
// checkpoint checks), this rank's tensor-parallel slices in a launched layout.
model::Transformer load_session_transformer(const std::filesystem::path& model_dir,
                                            const RankSession& session, c10::ScalarType dtype);

}  // namespace cosmos3::parallel
