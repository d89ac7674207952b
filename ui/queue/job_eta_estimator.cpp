#include "ui/queue/job_eta_estimator.h"

#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace cosmos3::ui {
namespace {

QString key_part(const QJsonObject& request, const QString& name) {
  const QJsonValue value = request.value(name);
  return value.isDouble() ? QString::number(value.toInteger()) : QStringLiteral("default");
}

bool will_run(JobState state) { return state == JobState::Pending || state == JobState::Running; }

}  // namespace

QString JobEtaEstimator::size_key(const QJsonObject& request) {
  return QStringLiteral("%1x%2x%3@%4")
      .arg(key_part(request, QStringLiteral("height")), key_part(request, QStringLiteral("width")),
           key_part(request, QStringLiteral("num_frames")),
           key_part(request, QStringLiteral("steps")));
}

void JobEtaEstimator::record(const QueuedJob& job) {
  if (job.progress.has_step_time()) {
    last_measured_.insert(size_key(job.request), job.progress);
  }
}

bool JobEtaEstimator::has_measurement_for(const QJsonObject& request) const {
  return last_measured_.contains(size_key(request));
}

std::optional<double> JobEtaEstimator::remaining_seconds(const QueuedJob& job) const {
  if (!will_run(job.state)) {
    return std::nullopt;
  }
  const auto measured = last_measured_.constFind(size_key(job.request));
  const bool running = job.state == JobState::Running;
  double seconds_per_step = 0.0;
  if (running && job.progress.seconds_per_step > 0.0) {
    seconds_per_step = job.progress.seconds_per_step;
  } else if (measured != last_measured_.constEnd()) {
    seconds_per_step = measured->seconds_per_step;
  }
  int num_steps = 0;
  if (running && job.progress.num_steps > 0) {
    num_steps = job.progress.num_steps;
  } else if (job.request.value(QStringLiteral("steps")).isDouble()) {
    num_steps = job.request.value(QStringLiteral("steps")).toInt();
  } else if (measured != last_measured_.constEnd()) {
    // Same key with no steps in the request: the measured job ran the checkpoint's default too.
    num_steps = measured->num_steps;
  }
  if (seconds_per_step <= 0.0 || num_steps <= 0) {
    return std::nullopt;
  }
  const int num_steps_done = running ? job.progress.num_steps_done : 0;
  return seconds_per_step * std::max(0, num_steps - num_steps_done);
}

JobEtaEstimator::QueueEstimate JobEtaEstimator::queue_remaining(
    const QList<QueuedJob>& jobs) const {
  QueueEstimate estimate;
  for (const QueuedJob& job : jobs) {
    if (!will_run(job.state)) {
      continue;
    }
    if (const std::optional<double> seconds = remaining_seconds(job)) {
      estimate.known_seconds += *seconds;
      ++estimate.num_jobs_estimated;
    } else {
      ++estimate.num_jobs_unknown;
    }
  }
  return estimate;
}

QString JobEtaEstimator::duration_text(double seconds) {
  const qint64 whole = std::llround(std::max(0.0, seconds));
  if (whole < 60) {
    return QStringLiteral("%1 s").arg(whole);
  }
  if (whole < 3600) {
    return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60);
  }
  return QStringLiteral("%1 h %2 min")
      .arg(whole / 3600)
      .arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString JobEtaEstimator::job_eta_text(const QueuedJob& job) const {
  if (!will_run(job.state)) {
    return {};
  }
  const std::optional<double> seconds = remaining_seconds(job);
  if (!seconds) {
    return QStringLiteral("unknown");
  }
  return job.state == JobState::Running ? QStringLiteral("%1 left").arg(duration_text(*seconds))
                                        : QStringLiteral("about %1").arg(duration_text(*seconds));
}

QString JobEtaEstimator::queue_eta_text(const QList<QueuedJob>& jobs) const {
  const QueueEstimate estimate = queue_remaining(jobs);
  if (estimate.num_jobs_estimated == 0 && estimate.num_jobs_unknown == 0) {
    return {};
  }
  if (estimate.num_jobs_estimated == 0) {
    return QStringLiteral("unknown");
  }
  if (estimate.num_jobs_unknown > 0) {
    return QStringLiteral("at least %1 (%2 %3 not measured yet)")
        .arg(duration_text(estimate.known_seconds))
        .arg(estimate.num_jobs_unknown)
        .arg(estimate.num_jobs_unknown == 1 ? QStringLiteral("job") : QStringLiteral("jobs"));
  }
  return QStringLiteral("about %1").arg(duration_text(estimate.known_seconds));
}

}  // namespace cosmos3::ui
