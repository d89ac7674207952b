#include "ui/queue/job_queue_model.h"

#include "ui/queue/job_store_error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeData>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <stdexcept>

namespace cosmos3::ui {
namespace {

constexpr qsizetype kMaxSummaryLength = 80;

const QList<int>& all_roles() {
  static const QList<int> roles{Qt::DisplayRole,
                                JobQueueModel::IdRole,
                                JobQueueModel::StateRole,
                                JobQueueModel::PromptSummaryRole,
                                JobQueueModel::ModeRole,
                                JobQueueModel::ProgressRole,
                                JobQueueModel::ProgressTextRole,
                                JobQueueModel::EtaTextRole,
                                JobQueueModel::FailureTextRole};
  return roles;
}

QVariant progress_fraction(const QueuedJob& job) {
  if (job.state == JobState::Done) {
    return 1.0;
  }
  if (job.progress.num_steps <= 0) {
    return {};
  }
  return std::clamp(double(job.progress.num_steps_done) / job.progress.num_steps, 0.0, 1.0);
}

QString progress_text(const JobProgress& progress) {
  if (progress.num_steps <= 0) {
    return {};
  }
  const QString steps =
      QStringLiteral("%1/%2 steps").arg(progress.num_steps_done).arg(progress.num_steps);
  return progress.seconds_per_step > 0.0
             ? QStringLiteral("%1, %2 s/step").arg(steps).arg(progress.seconds_per_step, 0, 'f', 1)
             : steps;
}

QString failure_text(const QueuedJob& job) {
  const QString message = job.failure_message.isEmpty() ? job.failure_class : job.failure_message;
  if (job.failure_suggestion.isEmpty()) {
    return message;
  }
  // The worker's messages rarely end in a full stop; without one the suggestion would read as
  // part of the message ("...704x1280 Edit the job...").
  const bool ends_sentence = message.endsWith(QLatin1Char('.')) ||
                             message.endsWith(QLatin1Char('!')) ||
                             message.endsWith(QLatin1Char('?'));
  return message + (ends_sentence ? QStringLiteral(" ") : QStringLiteral(". ")) +
         job.failure_suggestion;
}

}  // namespace

QString JobQueueModel::mode_of(const QJsonObject& request) {
  if (request.value(QStringLiteral("num_frames")).toInt(0) == 1) {
    return QStringLiteral("text-to-image");
  }
  if (request.contains(QStringLiteral("vision_path"))) {
    return QStringLiteral("image-to-video");
  }
  // A transfer job's video_path only seeds its first chunk: it stays a transfer of controls.
  if (request.contains(QStringLiteral("video_path")) &&
      !request.contains(QStringLiteral("control"))) {
    return QStringLiteral("video-to-video");
  }
  return QStringLiteral("text-to-video");
}

QString JobQueueModel::prompt_summary(const QJsonObject& request) {
  const QStringList lines =
      request.value(QStringLiteral("prompt")).toString().split(QLatin1Char('\n'));
  const auto first = std::find_if(lines.begin(), lines.end(),
                                  [](const QString& line) { return !line.trimmed().isEmpty(); });
  const QString line = first == lines.end() ? QString() : first->simplified();
  return line.size() <= kMaxSummaryLength ? line : line.left(kMaxSummaryLength - 1) + QChar(0x2026);
}

JobQueueModel::JobQueueModel(JobStore& store, QObject* parent)
    : QAbstractListModel(parent), store_(store), jobs_(store.jobs()) {
  announced_queue_eta_ = queue_eta_text();
}

int JobQueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(jobs_.size());
}

QVariant JobQueueModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const QueuedJob& job = jobs_[index.row()];
  switch (role) {
    case IdRole:
      return job.id;
    case StateRole:
      return to_string(job.state);
    case Qt::DisplayRole:
    case PromptSummaryRole:
      return prompt_summary(job.request);
    case ModeRole:
      return mode_of(job.request);
    case ProgressRole:
      return progress_fraction(job);
    case ProgressTextRole:
      return progress_text(job.progress);
    case EtaTextRole:
      return estimator_.job_eta_text(job);
    case FailureTextRole:
      return failure_text(job);
    default:
      return {};
  }
}

QHash<int, QByteArray> JobQueueModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names.insert(IdRole, "id");
  names.insert(StateRole, "state");
  names.insert(PromptSummaryRole, "promptSummary");
  names.insert(ModeRole, "mode");
  names.insert(ProgressRole, "progress");
  names.insert(ProgressTextRole, "progressText");
  names.insert(EtaTextRole, "etaText");
  names.insert(FailureTextRole, "failureText");
  return names;
}

// Drops land between rows (the root accepts them), never on a row: a job holds no other jobs.
Qt::ItemFlags JobQueueModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) {
    return Qt::ItemIsDropEnabled;
  }
  return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled |
         Qt::ItemNeverHasChildren;
}

Qt::DropActions JobQueueModel::supportedDragActions() const { return Qt::MoveAction; }
Qt::DropActions JobQueueModel::supportedDropActions() const { return Qt::MoveAction; }
QStringList JobQueueModel::mimeTypes() const { return {mime_type()}; }

QMimeData* JobQueueModel::mimeData(const QModelIndexList& indexes) const {
  QJsonArray ids;
  for (qint64 id : ids_of(indexes)) {
    ids.append(id);
  }
  const QJsonObject payload{{QStringLiteral("store"), store_.database_path()},
                            {QStringLiteral("ids"), ids}};
  auto* data = new QMimeData;
  data->setData(mime_type(), QJsonDocument(payload).toJson(QJsonDocument::Compact));
  return data;
}

bool JobQueueModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int /*row*/,
                                    int /*column*/, const QModelIndex& /*parent*/) const {
  if (action != Qt::MoveAction || data == nullptr || !data->hasFormat(mime_type())) {
    return false;
  }
  const QJsonObject payload = QJsonDocument::fromJson(data->data(mime_type())).object();
  return payload.value(QStringLiteral("store")).toString() == store_.database_path();
}

bool JobQueueModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                 const QModelIndex& parent) {
  if (action == Qt::IgnoreAction) {
    return true;
  }
  if (!canDropMimeData(data, action, row, column, parent)) {
    return false;
  }
  QList<qint64> ids;
  for (const QJsonValue& id : QJsonDocument::fromJson(data->data(mime_type()))
                                  .object()
                                  .value(QStringLiteral("ids"))
                                  .toArray()) {
    // A job removed while it was being dragged is simply not moved.
    if (row_of(id.toInteger()) >= 0) {
      ids.append(id.toInteger());
    }
  }
  if (ids.isEmpty()) {
    return false;
  }
  const int destination = row >= 0 ? row : (parent.isValid() ? parent.row() : rowCount());
  move_to(ids, destination);
  // The move is done here; the view's follow-up removeRows() finds no override and does nothing.
  return true;
}

int JobQueueModel::row_of(qint64 id) const {
  const auto found =
      std::find_if(jobs_.begin(), jobs_.end(), [id](const QueuedJob& job) { return job.id == id; });
  return found == jobs_.end() ? -1 : static_cast<int>(found - jobs_.begin());
}

QList<qint64> JobQueueModel::ids_of(const QModelIndexList& indexes) const {
  QList<int> rows;
  for (const QModelIndex& index : indexes) {
    if (index.isValid() && index.model() == this && !rows.contains(index.row())) {
      rows.append(index.row());
    }
  }
  std::sort(rows.begin(), rows.end());
  QList<qint64> ids;
  for (int row : rows) {
    ids.append(jobs_[row].id);
  }
  return ids;
}

QueuedJob JobQueueModel::enqueue(const QJsonObject& request, QueueEnd end) {
  QueuedJob job = store_.add(request, end);
  insert_row(job, end);
  return job;
}

void JobQueueModel::enqueue_in_background(const QJsonObject& request, QueueEnd end) {
  auto* watcher = new QFutureWatcher<StagingOutcome>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, &JobQueueModel::store_staged_jobs);
  enqueues_in_flight_.append({watcher, end});
  watcher->setFuture(QtConcurrent::run([request, staging_root = store_.staging_root()] {
    StagingOutcome outcome;
    try {
      outcome.staged = stage_job_inputs(request, staging_root);
    } catch (const std::exception& error) {
      outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
  }));
}

// Stores the jobs whose copies are done, stopping at the first still copying so that the
// queue order is the order of the calls.
void JobQueueModel::store_staged_jobs() {
  while (!enqueues_in_flight_.isEmpty() && enqueues_in_flight_.first().watcher->isFinished()) {
    const EnqueueInFlight next = enqueues_in_flight_.takeFirst();
    const StagingOutcome outcome = next.watcher->result();
    next.watcher->deleteLater();
    if (!outcome.staged) {
      Q_EMIT enqueue_failed(outcome.error);
      continue;
    }
    try {
      const QueuedJob job = store_.add_staged(*outcome.staged, next.end);
      insert_row(job, next.end);
      Q_EMIT enqueued(job.id);
    } catch (const JobStoreError& error) {
      Q_EMIT enqueue_failed(QString::fromStdString(error.what()));
    }
  }
}

void JobQueueModel::insert_row(const QueuedJob& job, QueueEnd end) {
  const int row = end == QueueEnd::Front ? 0 : rowCount();
  beginInsertRows(QModelIndex(), row, row);
  jobs_.insert(row, job);
  endInsertRows();
  announce_queue_eta();
}

void JobQueueModel::move_to(const QList<qint64>& ids, int row) {
  apply_order(store_.move_to(ids, row));
}
void JobQueueModel::move_to_front(const QList<qint64>& ids) {
  apply_order(store_.move_to_front(ids));
}
void JobQueueModel::move_to_back(const QList<qint64>& ids) {
  apply_order(store_.move_to_back(ids));
}

void JobQueueModel::remove(const QList<qint64>& ids) {
  store_.remove(ids);
  remove_rows(ids);
}

QList<qint64> JobQueueModel::clear_finished(FailedJobs failed) {
  const QList<qint64> ids = store_.clear_finished(failed);
  remove_rows(ids);
  return ids;
}

void JobQueueModel::remove_rows(const QList<qint64>& ids) {
  QList<int> rows;
  for (qint64 id : ids) {
    if (const int row = row_of(id); row >= 0 && !rows.contains(row)) {
      rows.append(row);
    }
  }
  std::sort(rows.begin(), rows.end(), std::greater<>());
  for (int row : rows) {
    beginRemoveRows(QModelIndex(), row, row);
    jobs_.removeAt(row);
    endRemoveRows();
  }
  announce_queue_eta();
}

void JobQueueModel::set_state(qint64 id, JobState state) {
  QueuedJob updated = store_.set_state(id, state);
  const int row = row_of(id);
  const bool leaves_running = jobs_[row].state == JobState::Running && state != JobState::Running;
  updated.progress = state == JobState::Pending ? JobProgress{} : jobs_[row].progress;
  replace_job(row, updated);
  if (leaves_running && updated.progress.has_step_time()) {
    // The finished job's s/step is the best measure for the waiting jobs of its size.
    estimator_.record(updated);
    refresh_waiting_eta_of_size(JobEtaEstimator::size_key(updated.request));
  }
  announce_queue_eta();
}

void JobQueueModel::set_result(qint64 id, const QJsonObject& result) {
  QueuedJob updated = store_.set_result(id, result);
  const int row = row_of(id);
  updated.progress = jobs_[row].progress;
  replace_job(row, updated);
}

void JobQueueModel::set_failure(qint64 id, const QString& failure_class, const QString& message,
                                const QString& suggestion) {
  const int row = row_of(id);
  const bool was_running = row >= 0 && jobs_[row].state == JobState::Running;
  QueuedJob updated = store_.set_failure(id, failure_class, message, suggestion);
  updated.progress = jobs_[row].progress;
  replace_job(row, updated);
  if (was_running && updated.progress.has_step_time()) {
    estimator_.record(updated);
    refresh_waiting_eta_of_size(JobEtaEstimator::size_key(updated.request));
  }
  announce_queue_eta();
}

QList<qint64> JobQueueModel::recover_after_crash() {
  const QList<qint64> ids = store_.recover_after_crash();
  for (qint64 id : ids) {
    const int row = row_of(id);
    QueuedJob updated = *store_.job(id);
    updated.progress = jobs_[row].progress;
    replace_job(row, updated);
  }
  announce_queue_eta();
  return ids;
}

void JobQueueModel::set_progress(qint64 id, int num_steps_done, int num_steps,
                                 double seconds_per_step) {
  const int row = row_of(id);
  if (row < 0) {
    return;
  }
  QueuedJob& job = jobs_[row];
  job.progress = JobProgress{num_steps_done, num_steps, seconds_per_step};
  const QModelIndex changed = index(row);
  Q_EMIT dataChanged(changed, changed, {ProgressRole, ProgressTextRole, EtaTextRole});
  // Until a job of this size finishes, its first measured step is all waiting jobs can go by;
  // later steps refine only this row, so a step report never repaints the whole queue.
  if (job.progress.has_step_time() && !estimator_.has_measurement_for(job.request)) {
    estimator_.record(job);
    refresh_waiting_eta_of_size(JobEtaEstimator::size_key(job.request));
  }
  announce_queue_eta();
}

// Emits dataChanged for the roles whose value differs, and nothing when none does.
void JobQueueModel::replace_job(int row, QueuedJob updated) {
  const QModelIndex changed = index(row);
  QList<QVariant> before;
  for (int role : all_roles()) {
    before.append(data(changed, role));
  }
  jobs_[row] = std::move(updated);
  QList<int> changed_roles;
  for (qsizetype i = 0; i < all_roles().size(); ++i) {
    if (data(changed, all_roles()[i]) != before[i]) {
      changed_roles.append(all_roles()[i]);
    }
  }
  if (!changed_roles.isEmpty()) {
    Q_EMIT dataChanged(changed, changed, changed_roles);
  }
}

// Brings the rows to the store's order with as few moves as it takes: each step moves the
// longest run of rows that already sit together in the new order.
void JobQueueModel::apply_order(const QList<qint64>& order) {
  qsizetype target = 0;
  while (target < order.size()) {
    const int source = row_of(order[target]);
    if (source == target) {
      ++target;
      continue;
    }
    qsizetype num_rows = 1;
    while (target + num_rows < order.size() && source + num_rows < jobs_.size() &&
           jobs_[source + num_rows].id == order[target + num_rows]) {
      ++num_rows;
    }
    const int last = source + static_cast<int>(num_rows) - 1;
    beginMoveRows(QModelIndex(), source, last, QModelIndex(), static_cast<int>(target));
    const QList<QueuedJob> moved = jobs_.mid(source, num_rows);
    jobs_.remove(source, num_rows);
    for (qsizetype i = 0; i < num_rows; ++i) {
      jobs_.insert(target + i, moved[i]);
    }
    endMoveRows();
    target += num_rows;
  }
}

void JobQueueModel::refresh_waiting_eta_of_size(const QString& size_key) {
  for (int row = 0; row < rowCount(); ++row) {
    if (jobs_[row].state == JobState::Pending &&
        JobEtaEstimator::size_key(jobs_[row].request) == size_key) {
      Q_EMIT dataChanged(index(row), index(row), {EtaTextRole});
    }
  }
}

void JobQueueModel::announce_queue_eta() {
  const QString text = queue_eta_text();
  if (text != announced_queue_eta_) {
    announced_queue_eta_ = text;
    Q_EMIT queue_eta_changed(text);
  }
}

}  // namespace cosmos3::ui
