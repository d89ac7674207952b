#pragma once
// The queue as a list model over a JobStore, for the studio's queue view. Every mutation goes
// to the store first (one transaction) and only then to the rows, so the view never shows a job
// the database does not hold. Rows can be reordered by dragging inside a view
// (setDragDropMode(QAbstractItemView::InternalMove)); the drop moves them through the store.
//
// Progress (step k of N, seconds per step) lives in memory only; each update changes its own
// row. ETAs come from JobEtaEstimator: measured s/step only, "unknown" otherwise.

#include "ui/queue/job_eta_estimator.h"
#include "ui/queue/job_store.h"
#include "ui/queue/queued_job.h"

#include <QAbstractListModel>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cosmos3::ui {

class JobQueueModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // qint64
    StateRole,                  // "pending", "running", ... (to_string(JobState))
    PromptSummaryRole,          // first line of the prompt, elided; also Qt::DisplayRole
    ModeRole,          // "text-to-image", "image-to-video", "video-to-video", "text-to-video"
    ProgressRole,      // double in [0, 1], or invalid when nothing was reported
    ProgressTextRole,  // "12/35 steps, 4.2 s/step"
    EtaTextRole,       // "3 min 20 s left", "about 7 min", "unknown", or empty
    FailureTextRole,   // the failure's message and suggestion, empty when none
  };
  Q_ENUM(Role)

  // The drag payload: the store's file and the dragged ids, so drops from elsewhere are refused.
  static QString mime_type() { return QStringLiteral("application/x-cosmos3-job-ids"); }
  static QString mode_of(const QJsonObject& request);
  static QString prompt_summary(const QJsonObject& request);

  // Loads every stored job. `store` must outlive the model.
  explicit JobQueueModel(JobStore& store, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  Qt::DropActions supportedDragActions() const override;
  Qt::DropActions supportedDropActions() const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;
  bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                       const QModelIndex& parent) const override;
  bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                    const QModelIndex& parent) override;

  const QList<QueuedJob>& jobs() const { return jobs_; }
  // The row of job `id`, or -1.
  int row_of(qint64 id) const;
  // The ids of the rows of `indexes` (a view's selection), in queue order.
  QList<qint64> ids_of(const QModelIndexList& indexes) const;

  // Mutations; each throws what the JobStore call throws, leaving rows and store unchanged.
  QueuedJob enqueue(const QJsonObject& request, QueueEnd end = QueueEnd::Back);
  // enqueue() with the input files copied on a worker thread, so a large video does not freeze
  // the window: the job is stored and its row inserted on this thread once its copies are
  // done, in the order of the calls. Reports enqueued(id) or enqueue_failed(message).
  void enqueue_in_background(const QJsonObject& request, QueueEnd end = QueueEnd::Back);
  int num_enqueues_in_flight() const { return static_cast<int>(enqueues_in_flight_.size()); }
  void move_to(const QList<qint64>& ids, int row);
  void move_to_front(const QList<qint64>& ids);
  void move_to_back(const QList<qint64>& ids);
  void remove(const QList<qint64>& ids);
  QList<qint64> clear_finished(FailedJobs failed = FailedJobs::Keep);
  void set_state(qint64 id, JobState state);
  void set_result(qint64 id, const QJsonObject& result);
  void set_failure(qint64 id, const QString& failure_class, const QString& message,
                   const QString& suggestion);
  QList<qint64> recover_after_crash();

  // A worker's step report. Kept in memory; a job no longer in the queue is ignored.
  void set_progress(qint64 id, int num_steps_done, int num_steps, double seconds_per_step);

  // Seconds of denoising left for the whole queue, as JobEtaEstimator::queue_eta_text says it.
  QString queue_eta_text() const { return estimator_.queue_eta_text(jobs_); }

 Q_SIGNALS:
  void queue_eta_changed(const QString& text);
  void enqueued(qint64 id);
  // The message names the bad input file and the fix, as JobStoreError's do.
  void enqueue_failed(const QString& message);

 private:
  struct StagingOutcome {
    std::optional<StagedJobInputs> staged;
    QString error;
  };
  struct EnqueueInFlight {
    QFutureWatcher<StagingOutcome>* watcher;
    QueueEnd end;
  };

  void insert_row(const QueuedJob& job, QueueEnd end);
  void remove_rows(const QList<qint64>& ids);
  void store_staged_jobs();
  void replace_job(int row, QueuedJob updated);
  void apply_order(const QList<qint64>& order);
  void refresh_waiting_eta_of_size(const QString& size_key);
  void announce_queue_eta();

  JobStore& store_;
  QList<QueuedJob> jobs_;
  JobEtaEstimator estimator_;
  QString announced_queue_eta_;
  QList<EnqueueInFlight> enqueues_in_flight_;
};

}  // namespace cosmos3::ui
