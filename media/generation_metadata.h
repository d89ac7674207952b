#pragma once
// What produced an output, embedded in every file (the MP4 comment tag) and beside it as a
// JSON sidecar, so that a file can restore the job that made it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace cosmos3::media {

struct GenerationMetadata {
  std::string prompt;
  std::string negative_prompt;
  std::int64_t seed = 0;
  int width = 0;
  int height = 0;
  int num_frames = 0;
  double fps = 0;
  int num_steps = 0;
  double guidance_scale = 0;
  double flow_shift = 0;
  std::string model;
  std::string model_config_hash;
  std::string parallel_layout;  // e.g. "cfg1 x tp1 x cp1"
  std::map<std::string, double> timings_seconds;
  std::map<std::string, std::string> versions;

  bool operator==(const GenerationMetadata&) const = default;
};

std::string metadata_to_json(const GenerationMetadata& metadata);
// Throws MediaError naming `source` when the JSON is not such metadata.
GenerationMetadata metadata_from_json(const std::string& json_text, const std::string& source);

// The sidecar of `output_path` is `output_path` + ".json".
std::filesystem::path sidecar_path(const std::filesystem::path& output_path);
void write_sidecar(const std::filesystem::path& output_path, const GenerationMetadata& metadata);
GenerationMetadata read_sidecar(const std::filesystem::path& output_path);
// The metadata embedded in an MP4 written by write_mp4. Throws MediaError when it has none.
GenerationMetadata read_embedded_metadata(const std::filesystem::path& video_path);

// FFmpeg and libsndfile versions, for the metadata's `versions`.
std::map<std::string, std::string> media_library_versions();

}  // namespace cosmos3::media
