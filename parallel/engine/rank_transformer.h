#pragma once
// Loading the transformer for one rank of a parallel layout: the layout is checked against the
// model's config before any weight is read, and tensor-parallel ranks read only their slices.

#include "core/model/transformer.h"
#include "parallel/engine/parallel_layout.h"
#include "parallel/engine/rank_mesh.h"

#include <filesystem>

namespace cosmos3::parallel {

// Reads only transformer/config.json; throws LayoutError naming the valid choices, or
// ConfigError for an unusable config.
HeadLayout plan_model_layout(const std::filesystem::path& model_dir, const ParallelDegrees& degrees,
                             int64_t world_size);

// This rank's transformer: whole weights for tp 1, else its column/row slices.
model::Transformer load_rank_transformer(const std::filesystem::path& model_dir,
                                         const RankMesh& mesh, c10::ScalarType dtype,
                                         c10::Device device);

}  // namespace cosmos3::parallel
