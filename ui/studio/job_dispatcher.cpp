#include "ui/studio/job_dispatcher.h"

#include "ui/studio/backend_controller.h"

#include <QDir>
#include <QJsonArray>

namespace cosmos3::ui {
namespace {

QString eta_text(double seconds) {
  const int total = static_cast<int>(seconds + 0.5);
  if (total >= 60) return QObject::tr("%1 min %2 s left").arg(total / 60).arg(total % 60);
  return QObject::tr("%1 s left").arg(total);
}

}  // namespace

JobDispatcher::JobDispatcher(JobQueueModel& model, BackendController& backend, QObject* parent)
    : QObject(parent), model_(model), backend_(backend) {
  connect(&backend_, &BackendController::eventReceived, this, &JobDispatcher::on_event);
  connect(&backend_, &BackendController::stateChanged, this, &JobDispatcher::dispatchNext);
  connect(&model_, &JobQueueModel::enqueued, this, &JobDispatcher::dispatchNext);
}

void JobDispatcher::setPaused(bool paused) {
  if (paused_ == paused) return;
  paused_ = paused;
  Q_EMIT pausedChanged(paused_);
  dispatchNext();
}

void JobDispatcher::dispatchNext() {
  if (paused_ || active_id_ != 0 || !backend_.isReady()) return;
  for (const QueuedJob& job : model_.jobs()) {
    if (job.state != JobState::Pending) continue;
    const QString output_dir =
        output_root_.isEmpty() ? QDir(job.job_dir).filePath(QStringLiteral("output"))
                               : QDir(output_root_).filePath(QStringLiteral("job-%1").arg(job.id));
    const QJsonObject request = submitted_request(job.request, output_dir, defaults_);
    active_id_ = job.id;
    phase_.clear();
    set_progress_text(tr("submitting job %1").arg(job.id));
    backend_.submit(backend_job_id(job.id), request);
    return;
  }
}

void JobDispatcher::cancelRunning() {
  if (active_id_ == 0) return;
  set_progress_text(tr("canceling job %1").arg(active_id_));
  backend_.cancel(backend_job_id(active_id_));
}

void JobDispatcher::cancelOrRemove(const QList<qint64>& ids) {
  QList<qint64> removable;
  for (qint64 id : ids) {
    if (id == active_id_) {
      cancelRunning();
    } else {
      removable.append(id);
    }
  }
  if (!removable.isEmpty()) model_.remove(removable);
}

int JobDispatcher::retry(const QList<qint64>& ids) {
  int num_retried = 0;
  for (const QueuedJob& job : model_.jobs()) {
    const bool ended = job.state == JobState::Failed || job.state == JobState::Canceled ||
                       job.state == JobState::Interrupted;
    if (!ids.contains(job.id) || !ended) continue;
    model_.enqueue_in_background(job.request, QueueEnd::Back);
    ++num_retried;
  }
  return num_retried;
}

void JobDispatcher::on_event(const QJsonObject& event) {
  const QString type = event.value(QStringLiteral("type")).toString();
  if (active_id_ == 0 ||
      event.value(QStringLiteral("job_id")).toString() != backend_job_id(active_id_)) {
    return;
  }
  const qint64 id = active_id_;
  if (type == QLatin1String("accepted")) {
    // The job as it will run: a preview can come before the first step reports the count.
    active_num_steps_ =
        event.value(QStringLiteral("job")).toObject().value(QStringLiteral("steps")).toInt();
    model_.set_state(id, JobState::Running);
    set_progress_text(tr("job %1 started").arg(id));
  } else if (type == QLatin1String("phase")) {
    phase_ = event.value(QStringLiteral("phase")).toString().replace(QLatin1Char('_'), ' ');
    set_progress_text(tr("job %1: %2").arg(id).arg(phase_));
  } else if (type == QLatin1String("step")) {
    const int step = event.value(QStringLiteral("step")).toInt();
    const int num_steps = event.value(QStringLiteral("num_steps")).toInt();
    const double seconds_per_step = event.value(QStringLiteral("seconds_per_step")).toDouble();
    active_num_steps_ = num_steps;
    model_.set_progress(id, step, num_steps, seconds_per_step);
    set_progress_text(tr("job %1: denoising · step %2/%3 · %4 s/step · %5")
                          .arg(id)
                          .arg(step)
                          .arg(num_steps)
                          .arg(seconds_per_step, 0, 'f', 2)
                          .arg(eta_text(event.value(QStringLiteral("eta_seconds")).toDouble())));
  } else if (type == QLatin1String("preview")) {
    Q_EMIT previewArrived(id, event.value(QStringLiteral("path")).toString(),
                          event.value(QStringLiteral("step")).toInt(), active_num_steps_);
  } else if (type == QLatin1String("finished")) {
    QJsonObject result = event;
    result.remove(QStringLiteral("type"));
    result.remove(QStringLiteral("job_id"));
    model_.set_result(id, result);
    model_.set_state(id, JobState::Done);
    const QJsonArray outputs = result.value(QStringLiteral("outputs")).toArray();
    Q_EMIT jobFinished(id, outputs.isEmpty() ? QString() : outputs.first().toString());
    end_active_job();
  } else if (type == QLatin1String("canceled")) {
    model_.set_state(id, JobState::Canceled);
    end_active_job();
  } else if (type == QLatin1String("failed")) {
    model_.set_failure(id, event.value(QStringLiteral("class")).toString(),
                       event.value(QStringLiteral("message")).toString(),
                       event.value(QStringLiteral("suggestion")).toString());
    end_active_job();
  } else if (type == QLatin1String("refused")) {
    model_.set_failure(id, QStringLiteral("refused"),
                       event.value(QStringLiteral("message")).toString(),
                       tr("Edit the job (duplicate it into the editor) and queue it again."));
    end_active_job();
  }
}

void JobDispatcher::end_active_job() {
  const qint64 id = active_id_;
  active_id_ = 0;
  set_progress_text(QString());
  Q_EMIT activeJobEnded(id);
  dispatchNext();
}

void JobDispatcher::set_progress_text(const QString& text) {
  progress_text_ = text;
  Q_EMIT progressTextChanged(text);
}

}  // namespace cosmos3::ui
