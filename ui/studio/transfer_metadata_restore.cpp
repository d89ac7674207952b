#include "ui/studio/transfer_metadata_restore.h"

#include "core/errors.h"
#include "parallel/backend/generation_seal.h"

#include <sstream>

namespace cosmos3::ui {
namespace {

// "100", "2.5": as the CLI's LOW,HIGH takes them.
std::string number_text(const nlohmann::json& value) {
  std::ostringstream text;
  text << value.get<double>();
  return text.str();
}

void check_unchanged(const std::string& path, const nlohmann::json& digest, const std::string& what,
                     const std::string& source) {
  std::string current;
  try {
    current = backend::file_digest(path);
  } catch (const UserError&) {
    throw UserError(source + ": its job's " + what + " " + path +
                    " is gone, so the job cannot be restored as it ran; restore it from an "
                    "output whose input files are still there or choose them again");
  }
  if (!digest.is_string() || digest.get<std::string>() != current) {
    throw UserError(source + ": its job's " + what + " " + path +
                    " was changed since the job ran, so restoring it would not make the same "
                    "video; restore a job whose input files are unchanged");
  }
}

// A made control's record: {"made_from": FILE, "low_threshold", "high_threshold"} (edge) or
// {"made_from": FILE, "sigma"} (blur).
void restore_made_control(const std::string& hint, const nlohmann::json& record,
                          nlohmann::json& job) {
  job["control_source"] = record.at("made_from");
  if (record.contains("low_threshold")) {
    job["edge_thresholds"] =
        number_text(record.at("low_threshold")) + "," + number_text(record.at("high_threshold"));
  }
  if (record.contains("sigma")) job["blur_sigma"] = record.at("sigma");
  job["control"][hint] = nullptr;
}

}  // namespace

void restore_transfer_keys(nlohmann::json& job, const std::string& source) {
  if (!job.contains("control")) return;
  const nlohmann::json digests =
      job.contains("control_digests") ? job["control_digests"] : nlohmann::json::object();
  job.erase("control_digests");
  // The seed video's digest is sealed beside the controls' (transfer_job.cpp); an output of a
  // worker that did not seal one has none, and its seed video cannot be shown unchanged.
  if (job.contains("video_path")) {
    if (!digests.contains("video")) {
      throw UserError(source + ": its transfer job's seed video " +
                      job["video_path"].get<std::string>() +
                      " has no digest in the output's metadata (an older worker made it), so "
                      "restoring it could start from another video; choose the seed video again");
    }
    check_unchanged(job["video_path"].get<std::string>(), digests["video"], "seed video", source);
  }
  const nlohmann::json records = job["control"];
  job["control"] = nlohmann::json::object();
  for (const auto& [hint, record] : records.items()) {
    const nlohmann::json digest = digests.contains(hint) ? digests[hint] : nullptr;
    if (record.is_object()) {
      check_unchanged(record.at("made_from").get<std::string>(), digest, hint + " control video",
                      source);
      restore_made_control(hint, record, job);
    } else {
      check_unchanged(record.get<std::string>(), digest, hint + " control video", source);
      job["control"][hint] = record;
    }
  }
}

}  // namespace cosmos3::ui
