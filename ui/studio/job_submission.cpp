#include "ui/studio/job_submission.h"

namespace cosmos3::ui {

QJsonObject submitted_request(QJsonObject request, const QString& output_dir,
                              const JobSubmissionDefaults& defaults) {
  request.insert(QStringLiteral("output_dir"), output_dir);
  if (!request.contains(QStringLiteral("preview_interval"))) {
    request.insert(QStringLiteral("preview_interval"), defaults.preview_interval);
  }
  if (!request.contains(QStringLiteral("precision"))) {
    // Transfer and action jobs have no FP8 path (the worker refuses them in fp8): the FP8
    // setting speeds up the jobs that have one and leaves these exact.
    const bool has_fp8_path = !request.contains(QStringLiteral("control")) &&
                              !request.contains(QStringLiteral("action_mode"));
    request.insert(QStringLiteral("precision"),
                   has_fp8_path ? defaults.precision : QStringLiteral("bf16"));
  }
  return request;
}

}  // namespace cosmos3::ui
