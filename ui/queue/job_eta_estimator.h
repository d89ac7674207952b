#pragma once
// Honest ETAs from measured seconds per denoising step, never from guesses: a running job uses
// its own s/step; a waiting job uses the last s/step measured for a job of the same size
// (height x width x frames x steps); with no such measurement the ETA is unknown. Only the
// denoising steps are counted: decode time is not step time.

#include "ui/queue/queued_job.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace cosmos3::ui {

class JobEtaEstimator {
 public:
  struct QueueEstimate {
    double known_seconds = 0.0;
    int num_jobs_estimated = 0;
    int num_jobs_unknown = 0;
  };

  // Jobs with equal keys cost the same per step. Keys absent from the request take the
  // checkpoint's defaults, which are the same for every such job, so "default" is a value too.
  static QString size_key(const QJsonObject& request);

  // Keeps `job`'s measured s/step (and its step count) for jobs of its size.
  void record(const QueuedJob& job);
  bool has_measurement_for(const QJsonObject& request) const;

  // Seconds of denoising left for a Running or Pending job; nothing when no s/step is known or
  // the job will not run.
  std::optional<double> remaining_seconds(const QueuedJob& job) const;
  QueueEstimate queue_remaining(const QList<QueuedJob>& jobs) const;

  // "45 s", "3 min 20 s", "1 h 05 min".
  static QString duration_text(double seconds);
  // The ETA column of one job: "3 min 20 s left", "about 7 min", "unknown", or empty for a job
  // that will not run.
  QString job_eta_text(const QueuedJob& job) const;
  // "about 25 min", "at least 25 min (2 jobs not measured yet)", "unknown", or empty.
  QString queue_eta_text(const QList<QueuedJob>& jobs) const;

 private:
  QHash<QString, JobProgress> last_measured_;
};

}  // namespace cosmos3::ui
