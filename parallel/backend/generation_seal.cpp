#include "parallel/backend/generation_seal.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string_view>
#include <vector>

namespace cosmos3::backend {
namespace {

constexpr const char* kChecksumKey = "parameters_checksum";

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;

// FNV-1a over `bytes`, continuing from `hash`: a file is hashed a block at a time.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = kFnvOffset) {
  for (const unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string fnv1a64_text(std::uint64_t hash) {
  char text[32];
  std::snprintf(text, sizeof(text), "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace

const std::vector<std::string>& sealed_parameter_keys() {
  static const std::vector<std::string> keys{
      "prompt", "negative_prompt", "seed", "num_frames", "height", "width", "fps", "num_steps",
      "guidance_scale", "flow_shift", "use_system_prompt", "vision_path", "video_path",
      "condition_frame_indexes", "condition_video_keep",
      // Action jobs (docs/action_modes.md).
      "action_mode", "domain", "chunk_size", "resolution_tier", "view_point", "actions_path",
      "actions_digest",
      // Transfer jobs (docs/transfer.md): the controls (files, or how they were made and from
      // what) with their files' digests, and the transfer settings.
      "control", "control_digests", "control_guidance", "num_video_frames_per_chunk",
      "num_conditional_frames", "guidance_interval", "control_guidance_interval",
      "num_first_chunk_conditional_frames"};
  return keys;
}

bool made_sound(const nlohmann::json& metadata) {
  return metadata.is_object() && metadata.contains("sound") && metadata["sound"].is_object();
}

std::string file_digest(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw UserError("cannot read " + path.string() + " to take its digest");
  // A block at a time: control videos can be far larger than the memory a digest deserves.
  std::vector<char> block(1 << 20);
  std::uint64_t hash = kFnvOffset;
  while (stream.read(block.data(), static_cast<std::streamsize>(block.size())) ||
         stream.gcount() > 0) {
    hash = fnv1a64(std::string_view(block.data(), static_cast<std::size_t>(stream.gcount())), hash);
  }
  if (stream.bad()) throw UserError("cannot read " + path.string() + " to take its digest");
  return fnv1a64_text(hash);
}

std::string parameters_checksum(const nlohmann::json& metadata) {
  nlohmann::json covered = nlohmann::json::object();
  for (const std::string& key : sealed_parameter_keys()) {
    if (metadata.contains(key)) covered[key] = metadata[key];
  }
  if (made_sound(metadata)) covered["sound"] = true;
  // The arithmetic the job ran in. A studio setting, not a form field, so a restore does not
  // read it and it is not among the restored keys; outputs made before it keep their checksums.
  if (metadata.contains("precision")) covered["precision"] = metadata["precision"];
  return fnv1a64_text(fnv1a64(covered.dump()));
}

void seal_parameters(nlohmann::json& metadata) {
  metadata[kChecksumKey] = parameters_checksum(metadata);
}

void check_parameters_seal(const nlohmann::json& metadata, const std::string& source) {
  if (!metadata.is_object() || !metadata.contains(kChecksumKey) ||
      !metadata[kChecksumKey].is_string()) {
    throw SealError(source +
                    " carries no Cosmos3 Studio parameters checksum: it was not written by "
                    "cosmos3-worker (or by a version before checksums), so its parameters "
                    "cannot be trusted to restore a job");
  }
  if (metadata[kChecksumKey].get<std::string>() != parameters_checksum(metadata)) {
    throw SealError(source +
                    ": its parameters do not match their checksum; the metadata was edited or "
                    "damaged after the job wrote it. Restore from an unmodified output or its "
                    "generation.json");
  }
}

}  // namespace cosmos3::backend
