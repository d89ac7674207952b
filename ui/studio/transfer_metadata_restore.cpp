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

void check_unchanged(const std::string& path, const nlohmann::json& digest, const std::string& hint,
                     const std::string& source) {
  std::string current;
  try {
    current = backend::file_digest(path);
  } catch (const UserError&) {
    throw UserError(source + ": its job's " + hint + " control video " + path +
                    " is gone, so the job cannot be restored as it ran; restore it from an "
                    "output whose controls are still there or choose the controls again");
  }
  if (!digest.is_string() || digest.get<std::string>() != current) {
    throw UserError(source + ": its job's " + hint + " control video " + path +
                    " was changed since the job ran, so restoring it would not make the same "
                    "video; restore a job whose control videos are unchanged");
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
  // Settings the transfer panel has no field for yet: restoring without them would queue
  // another job than the one that ran.
  for (const char* key : {"guidance_interval", "control_guidance_interval", "video_path"}) {
    if (job.contains(key)) {
      throw UserError(source + ": its transfer job used " + key +
                      ", which the studio's transfer panel does not set yet, so restoring it "
                      "would not make the same video; run it again with cosmos3-generate "
                      "(its flags are in docs/transfer.md)");
    }
  }
  const nlohmann::json digests =
      job.contains("control_digests") ? job["control_digests"] : nlohmann::json::object();
  job.erase("control_digests");
  const nlohmann::json records = job["control"];
  job["control"] = nlohmann::json::object();
  for (const auto& [hint, record] : records.items()) {
    const nlohmann::json digest = digests.contains(hint) ? digests[hint] : nullptr;
    if (record.is_object()) {
      check_unchanged(record.at("made_from").get<std::string>(), digest, hint, source);
      restore_made_control(hint, record, job);
    } else {
      check_unchanged(record.get<std::string>(), digest, hint, source);
      job["control"][hint] = record;
    }
  }
}

}  // namespace cosmos3::ui
