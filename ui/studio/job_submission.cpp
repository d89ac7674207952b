#include "ui/studio/job_submission.h"

namespace cosmos3::ui {

QJsonObject submitted_request(QJsonObject request, const QString& output_dir,
                              const JobSubmissionDefaults& defaults) {
  request.insert(QStringLiteral("output_dir"), output_dir);
  if (!request.contains(QStringLiteral("preview_interval"))) {
    request.insert(QStringLiteral("preview_interval"), defaults.preview_interval);
  }
  if (!request.contains(QStringLiteral("precision"))) {
    request.insert(QStringLiteral("precision"), defaults.precision);
  }
  return request;
}

}  // namespace cosmos3::ui
