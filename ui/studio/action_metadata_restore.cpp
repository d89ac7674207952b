#include "ui/studio/action_metadata_restore.h"

#include "core/errors.h"
#include "parallel/backend/generation_seal.h"

namespace cosmos3::ui {

void restore_action_keys(nlohmann::json& job, const std::string& source) {
  if (!job.contains("action_mode")) return;
  for (const char* key : {"num_frames", "height", "width"}) job.erase(key);
  const nlohmann::json digest = job.contains("actions_digest") ? job["actions_digest"] : nullptr;
  job.erase("actions_digest");
  if (!job.contains("actions_path")) return;
  const std::string path = job["actions_path"].get<std::string>();
  job.erase("actions_path");
  std::string current;
  try {
    current = backend::file_digest(path);
  } catch (const UserError&) {
    throw UserError(source + ": its job's actions file " + path +
                    " is gone, so the job cannot be restored as it ran; restore it from the "
                    "job's own folder or choose the actions again");
  }
  if (!digest.is_string() || digest.get<std::string>() != current) {
    throw UserError(source + ": its job's actions file " + path +
                    " was changed since the job ran, so restoring it would not make the same "
                    "video; restore a job whose actions file is unchanged");
  }
  job["actions"] = path;
}

}  // namespace cosmos3::ui
