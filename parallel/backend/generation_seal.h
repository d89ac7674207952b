#pragma once
// The job parameters a generation's metadata (generation.json, the MP4's comment tag) can
// restore, and a checksum over them that the worker writes beside them. The checksum is not
// a signature (anyone can recompute it); it tells the studio that metadata was edited or
// damaged after the worker wrote it, so a restore never fills the editor with parameters that
// did not make the file. Qt-free and torch-free: the worker seals, the studio checks.

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::backend {

class SealError : public UserError {
 public:
  using UserError::UserError;
};

// The metadata keys the checksum covers, which are what a restore reads.
const std::vector<std::string>& sealed_parameter_keys();

// Whether the job asked for sound (the job field and --sound): its metadata then holds the
// "sound" settings object. A restore reads this flag; the checksum covers it as "sound": true,
// not the object, whose num_samples the worker adds after sealing.
bool made_sound(const nlohmann::json& metadata);
// "fnv1a64:0123456789abcdef" over a file's bytes. Action jobs seal the digest of their actions
// file beside its path: the actions are the job's parameters (forward dynamics rolls out exactly
// them), and a path alone would restore whatever the file holds by then. Transfer jobs seal
// their control videos' digests the same way. Throws UserError when
// the file cannot be read.
std::string file_digest(const std::filesystem::path& path);

// "fnv1a64:0123456789abcdef": FNV-1a over the compact JSON of the covered keys present in
// `metadata` (and the sound flag when set, so silent outputs keep the checksums they were
// written with; and the precision when recorded), keys sorted (nlohmann's object order), so any
// writer's whitespace or key order gives the same value.
std::string parameters_checksum(const nlohmann::json& metadata);

// Adds "parameters_checksum".
void seal_parameters(nlohmann::json& metadata);

// Throws SealError naming `source` when the metadata has no checksum (not ours, or older than
// sealing) or the checksum does not match (edited or damaged).
void check_parameters_seal(const nlohmann::json& metadata, const std::string& source);

}  // namespace cosmos3::backend
