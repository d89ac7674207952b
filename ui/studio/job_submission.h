#pragma once
// What the studio adds to a queued job's request as it submits it: the job's output folder, and
// the settings that hold for every job (live preview interval, precision) unless the request
// names its own. Transfer and action jobs, which have no FP8 path, go out bf16.

#include <QJsonObject>
#include <QString>

namespace cosmos3::ui {

struct JobSubmissionDefaults {
  int preview_interval = 5;                    // 0: no live preview
  QString precision = QStringLiteral("bf16");  // the protocol's "precision": bf16 or fp8
};

QJsonObject submitted_request(QJsonObject request, const QString& output_dir,
                              const JobSubmissionDefaults& defaults);

}  // namespace cosmos3::ui
