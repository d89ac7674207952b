#pragma once
// Drives the queue through the backend group: when the group is ready and no job runs, it takes
// the first pending job, gives it an output folder inside its job folder and submits it as
// "job-<id>"; the group's events then move the job through the model (running, progress,
// done, canceled, failed). Jobs left running by a crashed session come back Interrupted and
// wait for the user: nothing is restarted silently.

#include "ui/queue/job_queue_model.h"
#include "ui/studio/job_submission.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

namespace cosmos3::ui {

class BackendController;

class JobDispatcher : public QObject {
  Q_OBJECT

 public:
  JobDispatcher(JobQueueModel& model, BackendController& backend, QObject* parent = nullptr);

  static QString backend_job_id(qint64 id) { return QStringLiteral("job-%1").arg(id); }

  // A live preview every `interval` steps (0: none), unless the request sets its own.
  void setPreviewInterval(int interval) { defaults_.preview_interval = interval; }
  // The protocol's "precision" of the jobs submitted from now on, unless the request sets its own.
  void setPrecision(const QString& precision) { defaults_.precision = precision; }
  // Outputs of the jobs submitted from now on go to ROOT/job-<id>; empty: into the job folder.
  void setOutputRoot(const QString& root) { output_root_ = root; }
  bool isPaused() const { return paused_; }
  // The job submitted or running, 0 when none.
  qint64 activeJobId() const { return active_id_; }

  QList<qint64> recoverAfterCrash() { return model_.recover_after_crash(); }
  // Asks the group to cancel the running job; its "canceled" event ends it.
  void cancelRunning();
  // Cancels the running job among `ids` and removes the others.
  void cancelOrRemove(const QList<qint64>& ids);
  // Each failed, canceled or interrupted job of `ids` comes back as a new pending job at the
  // back, with the same request; returns how many.
  int retry(const QList<qint64>& ids);

 public Q_SLOTS:
  // Pause after the current job: no new job is taken while paused.
  void setPaused(bool paused);
  // Submits the next pending job when the group is ready and idle.
  void dispatchNext();

 Q_SIGNALS:
  void pausedChanged(bool paused);
  // "denoising · step 3/35 · 1.2 s/step · 2 min 24 s left", empty when nothing runs.
  void progressTextChanged(const QString& text);
  void previewArrived(qint64 id, const QString& path, int step, int num_steps);
  void jobFinished(qint64 id, const QString& output_path);
  // The active job ended (any way); the window may close now if it waited for that.
  void activeJobEnded(qint64 id);

 private:
  void on_event(const QJsonObject& event);
  void end_active_job();
  void set_progress_text(const QString& text);

  JobQueueModel& model_;
  BackendController& backend_;
  JobSubmissionDefaults defaults_;
  QString output_root_;
  bool paused_ = false;
  qint64 active_id_ = 0;
  int active_num_steps_ = 0;
  QString phase_;
  QString progress_text_;
};

}  // namespace cosmos3::ui
