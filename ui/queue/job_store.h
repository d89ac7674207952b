#pragma once
// The studio's crash-safe job queue on disk: one SQLite file (queue.sqlite3, WAL) in the folder
// given, one folder per job (jobs/<id>/) holding copies of its input files, and a session
// marker (running.marker) that tells a crashed last session apart from a clean one.
//
// Every operation is one transaction: a kill at any point leaves either the state before it or
// the state after it, never a half-stored job or a gap in the queue order. Use a store from the
// thread that made it (Qt SQL connections are per thread).

#include "ui/queue/job_input_files.h"
#include "ui/queue/queued_job.h"
#include "ui/queue/session_marker.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace cosmos3::ui {

enum class QueueEnd { Front, Back };
enum class FailedJobs { Keep, Remove };

class JobStore {
 public:
  // Opens or creates `dir`/queue.sqlite3, migrating it to this build's layout, and starts a
  // session (the marker). Throws JobStoreError for a corrupt or unreadable database, one from a
  // newer studio, or a folder that cannot be written.
  explicit JobStore(const QString& dir);
  // A clean close: the marker goes, so the next open does not report a crash.
  ~JobStore();

  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  static QString database_file_name() { return QStringLiteral("queue.sqlite3"); }
  static QString marker_file_name() { return QStringLiteral("running.marker"); }

  const QString& dir() const { return dir_; }
  QString database_path() const;
  // True when the marker of an earlier session was still there at open: it was killed or crashed.
  bool last_session_crashed() const { return marker_->last_session_crashed(); }

  // Stores a pending job at one end of the queue: creates jobs/<id>/, copies the request's
  // vision_path / video_path files into jobs/<id>/inputs/ and points the request at the copies.
  // Throws JobStoreError naming a missing or unreadable input; nothing is stored then.
  QueuedJob add(const QJsonObject& request, QueueEnd end = QueueEnd::Back);
  // add() in two steps, so the copying can run off the UI thread: stage_job_inputs(request,
  // staging_root()) on any thread, then add_staged() on the store's thread, which moves the
  // staged folder to jobs/<id>/ (a rename) in the job's transaction. It consumes the staged
  // folder even when it throws.
  QString staging_root() const;
  QueuedJob add_staged(const StagedJobInputs& staged, QueueEnd end = QueueEnd::Back);

  // Moves `ids` (kept in their queue order) in front of the job now at `row`, or to the back
  // when `row` is the number of jobs or more. Returns every id in the new queue order.
  QList<qint64> move_to(const QList<qint64>& ids, int row);
  QList<qint64> move_to_front(const QList<qint64>& ids) { return move_to(ids, 0); }
  QList<qint64> move_to_back(const QList<qint64>& ids);

  // Sets a job's state and its timestamps: Running stamps started; Done, Failed, Canceled and
  // Interrupted stamp finished; Pending (a requeue) clears the times, result and failure.
  QueuedJob set_state(qint64 id, JobState state);
  QueuedJob set_result(qint64 id, const QJsonObject& result);
  // Marks the job Failed with the backend's failure, in one write.
  QueuedJob set_failure(qint64 id, const QString& failure_class, const QString& message,
                        const QString& suggestion);

  // Removes jobs and their folders. Throws JobStoreError, removing nothing, if one is running.
  void remove(const QList<qint64>& ids);
  // Removes Done and Canceled jobs, and Failed and Interrupted ones when asked; returns their ids.
  QList<qint64> clear_finished(FailedJobs failed = FailedJobs::Keep);

  QList<QueuedJob> jobs() const;
  std::optional<QueuedJob> job(qint64 id) const;
  std::optional<QueuedJob> next_pending() const;

  // Turns every job left Running by a killed session into Interrupted (never restarted on its
  // own: the user decides) and returns their ids.
  QList<qint64> recover_after_crash();

 private:
  QList<qint64> ids_in_order() const;
  QueuedJob existing_job(qint64 id) const;
  void write_order(const QList<qint64>& ids);
  void remove_orphan_job_dirs();
  qint64 insert_at(QueueEnd end, const QJsonObject& request);
  QString job_dir_of(qint64 id) const;

  QString dir_;
  QString connection_name_;
  std::unique_ptr<SessionMarker> marker_;
};

}  // namespace cosmos3::ui
