#pragma once
// The part of generation.json every job kind shares (vision, sound, action): the resolved
// request, the model and the layout. Restore by drop and the history gallery read these keys,
// so every job writes them the same way.

#include "core/pipeline/generation_request.h"
#include "parallel/backend/generation_engine.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>

namespace cosmos3::backend {

nlohmann::json request_metadata(const pipeline::ResolvedRequest& resolved,
                                const EngineSettings& settings, std::size_t num_cond_tokens,
                                std::size_t num_uncond_tokens);

// Writes `metadata` as `output_dir`/generation.json and returns its path. Throws UserError
// when it cannot be written whole.
std::filesystem::path write_generation_json(const std::filesystem::path& output_dir,
                                            const nlohmann::json& metadata);

}  // namespace cosmos3::backend
