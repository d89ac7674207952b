#include "media/generation_metadata.h"

#include "core/errors.h"
#include "media/atomic_output.h"
#include "media/media_reader.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}
#include <sndfile.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace cosmos3::media {
namespace {

using Json = nlohmann::json;

std::string version_text(unsigned version) {
  return std::to_string(version >> 16) + "." + std::to_string((version >> 8) & 0xff) + "." +
         std::to_string(version & 0xff);
}

}  // namespace

std::string metadata_to_json(const GenerationMetadata& metadata) {
  const Json json = {{"prompt", metadata.prompt},
                     {"negative_prompt", metadata.negative_prompt},
                     {"seed", metadata.seed},
                     {"width", metadata.width},
                     {"height", metadata.height},
                     {"num_frames", metadata.num_frames},
                     {"fps", metadata.fps},
                     {"num_steps", metadata.num_steps},
                     {"guidance_scale", metadata.guidance_scale},
                     {"flow_shift", metadata.flow_shift},
                     {"model", metadata.model},
                     {"model_config_hash", metadata.model_config_hash},
                     {"parallel_layout", metadata.parallel_layout},
                     {"timings_seconds", metadata.timings_seconds},
                     {"versions", metadata.versions}};
  return json.dump(2);
}

GenerationMetadata metadata_from_json(const std::string& json_text, const std::string& source) {
  const Json json = Json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw MediaError(source + ": generation metadata is not a JSON object");
  }
  GenerationMetadata metadata;
  try {
    metadata.prompt = json.value("prompt", "");
    metadata.negative_prompt = json.value("negative_prompt", "");
    metadata.seed = json.value("seed", std::int64_t{0});
    metadata.width = json.value("width", 0);
    metadata.height = json.value("height", 0);
    metadata.num_frames = json.value("num_frames", 0);
    metadata.fps = json.value("fps", 0.0);
    metadata.num_steps = json.value("num_steps", 0);
    metadata.guidance_scale = json.value("guidance_scale", 0.0);
    metadata.flow_shift = json.value("flow_shift", 0.0);
    metadata.model = json.value("model", "");
    metadata.model_config_hash = json.value("model_config_hash", "");
    metadata.parallel_layout = json.value("parallel_layout", "");
    metadata.timings_seconds = json.value("timings_seconds", std::map<std::string, double>{});
    metadata.versions = json.value("versions", std::map<std::string, std::string>{});
  } catch (const Json::exception& error) {
    throw MediaError(source + ": generation metadata has a field of the wrong type (" +
                     error.what() + ")");
  }
  return metadata;
}

std::filesystem::path sidecar_path(const std::filesystem::path& output_path) {
  std::filesystem::path path = output_path;
  path += ".json";
  return path;
}

void write_sidecar(const std::filesystem::path& output_path, const GenerationMetadata& metadata) {
  const std::filesystem::path path = sidecar_path(output_path);
  AtomicOutput output(path);
  std::ofstream file(output.temporary_path());
  file << metadata_to_json(metadata) << '\n';
  file.close();
  if (!file) {
    throw MediaError("cannot write " + path.string() + ": disk full or not writable");
  }
  output.commit();
}

GenerationMetadata read_sidecar(const std::filesystem::path& output_path) {
  const std::filesystem::path path = sidecar_path(output_path);
  std::ifstream file(path);
  if (!file) {
    throw MediaError("cannot read " + path.string() + ": no such file");
  }
  std::stringstream text;
  text << file.rdbuf();
  return metadata_from_json(text.str(), path.string());
}

GenerationMetadata read_embedded_metadata(const std::filesystem::path& video_path) {
  const Json comment = Json::parse(read_comment(video_path), nullptr, false);
  if (comment.is_discarded() || !comment.is_object() || !comment.contains("generation")) {
    throw MediaError(video_path.string() + ": carries no Cosmos3 generation metadata");
  }
  return metadata_from_json(comment["generation"].dump(), video_path.string());
}

std::map<std::string, std::string> media_library_versions() {
  return {{"libavcodec", version_text(avcodec_version())},
          {"libavformat", version_text(avformat_version())},
          {"libsndfile", sf_version_string()}};
}

}  // namespace cosmos3::media
