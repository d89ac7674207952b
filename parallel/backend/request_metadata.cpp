#include "parallel/backend/request_metadata.h"

#include "core/errors.h"
#include "core/pipeline/step_precision.h"

#include <fstream>

namespace cosmos3::backend {

nlohmann::json request_metadata(const pipeline::ResolvedRequest& resolved,
                                const EngineSettings& settings, std::size_t num_cond_tokens,
                                std::size_t num_uncond_tokens) {
  const pipeline::GenerationRequest& request = resolved.request;
  return {
      {"prompt", request.prompt},
      {"negative_prompt", request.negative_prompt.value_or("")},
      {"seed", request.seed},
      {"num_frames", request.num_frames},
      {"height", request.height},
      {"width", request.width},
      {"fps", request.fps},
      {"num_steps", resolved.num_steps},
      {"guidance_scale", resolved.guidance_scale},
      {"flow_shift", request.flow_shift ? nlohmann::json(*request.flow_shift) : nlohmann::json()},
      {"use_system_prompt", resolved.use_system_prompt},
      {"precision", pipeline::precision_name(request.precision)},
      {"model", settings.model_dir.string()},
      {"num_cond_tokens", num_cond_tokens},
      {"num_uncond_tokens", num_uncond_tokens},
      {"parallel",
       {{"cfg", settings.degrees.cfg}, {"tp", settings.degrees.tp}, {"cp", settings.degrees.cp}}}};
}

std::filesystem::path write_generation_json(const std::filesystem::path& output_dir,
                                            const nlohmann::json& metadata) {
  const std::filesystem::path path = output_dir / "generation.json";
  std::ofstream stream(path);
  stream << metadata.dump(2) << '\n';
  stream.close();
  if (!stream) throw UserError("cannot write " + path.string() + ": is the disk full?");
  return path;
}

}  // namespace cosmos3::backend
