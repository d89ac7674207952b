#include "ui/queue/job_store.h"

#include "ui/queue/job_input_files.h"
#include "ui/queue/job_store_error.h"
#include "ui/queue/job_store_schema.h"
#include "ui/queue/job_store_sql.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <stdexcept>

namespace cosmos3::ui {
namespace {

const QString kColumns = QStringLiteral(
    "id, state, request, job_dir, result, failure_class, failure_message, failure_suggestion, "
    "created_ms, started_ms, finished_ms");

QString unique_connection_name() {
  static std::atomic<int> num_connections_made{0};
  return QStringLiteral("cosmos3_job_store_%1").arg(num_connections_made++);
}

QDateTime from_column(const QVariant& value) {
  return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString to_column(const QJsonObject& object) {
  return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject json_column(const QVariant& value, const QString& file) {
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
  if (!document.isObject()) {
    throw JobStoreError(file, QStringLiteral("the queue database %1 holds a job whose JSON cannot "
                                             "be read (%2): move the file away to start with an "
                                             "empty queue, or restore it from a backup")
                                  .arg(file, error.errorString()));
  }
  return document.object();
}

QueuedJob job_from_row(const QSqlQuery& row, const QString& file) {
  QueuedJob job;
  job.id = row.value(0).toLongLong();
  const std::optional<JobState> state = job_state_from_string(row.value(1).toString());
  if (!state) {
    throw JobStoreError(file, QStringLiteral("the queue database %1 holds job %2 in an unknown "
                                             "state \"%3\": move the file away to start with an "
                                             "empty queue")
                                  .arg(file)
                                  .arg(job.id)
                                  .arg(row.value(1).toString()));
  }
  job.state = *state;
  job.request = json_column(row.value(2), file);
  job.job_dir = row.value(3).toString();
  job.result = json_column(row.value(4), file);
  job.failure_class = row.value(5).toString();
  job.failure_message = row.value(6).toString();
  job.failure_suggestion = row.value(7).toString();
  job.created = from_column(row.value(8));
  job.started = from_column(row.value(9));
  job.finished = from_column(row.value(10));
  return job;
}

}  // namespace

JobStore::JobStore(const QString& dir)
    : dir_(QDir(dir).absolutePath()), connection_name_(unique_connection_name()) {
  if (!QDir().mkpath(dir_)) {
    throw JobStoreError(dir_, QStringLiteral("cannot create the queue folder %1: make its parent "
                                             "folder writable")
                                  .arg(dir_));
  }
  try {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection_name_);
    db.setDatabaseName(database_path());
    // A second store on the same file (a test, or a studio still closing) waits, not fails.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
      throw JobStoreError(database_path(),
                          QStringLiteral("cannot open the queue database %1 (%2): make it and its "
                                         "folder readable and writable")
                              .arg(database_path(), db.lastError().text()));
    }
    prepare_job_store_schema(db, database_path());
    remove_orphan_job_dirs();
    marker_ = std::make_unique<SessionMarker>(QDir(dir_).filePath(marker_file_name()));
  } catch (...) {
    QSqlDatabase::database(connection_name_, false).close();
    QSqlDatabase::removeDatabase(connection_name_);
    throw;
  }
}

JobStore::~JobStore() {
  QSqlDatabase::database(connection_name_, false).close();
  QSqlDatabase::removeDatabase(connection_name_);
}

QString JobStore::database_path() const { return QDir(dir_).filePath(database_file_name()); }

QString JobStore::job_dir_of(qint64 id) const {
  return QDir(dir_).filePath(QStringLiteral("jobs/%1").arg(id));
}

QString JobStore::staging_root() const { return QDir(dir_).filePath(QStringLiteral("staging")); }

QueuedJob JobStore::add(const QJsonObject& request, QueueEnd end) {
  return add_staged(stage_job_inputs(request, staging_root()), end);
}

QueuedJob JobStore::add_staged(const StagedJobInputs& staged, QueueEnd end) {
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  qint64 id = 0;
  QString job_dir;  // set once the staged folder may have become it
  try {
    SqlTransaction transaction(db, database_path());
    id = insert_at(end, staged.request);
    job_dir = job_dir_of(id);
    // A folder under this new id can only be the leftover of an add killed before its commit.
    QDir(job_dir).removeRecursively();
    QDir().mkpath(QFileInfo(job_dir).path());
    if (!QDir().rename(staged.folder, job_dir)) {
      throw JobStoreError(job_dir, QStringLiteral("cannot move the staged inputs %1 to the job "
                                                  "folder %2: make the queue's folder writable")
                                       .arg(staged.folder, job_dir));
    }
    run_sql(db, database_path(),
            QStringLiteral("UPDATE jobs SET request = ?, job_dir = ? WHERE id = ?"),
            {to_column(request_using_copies(staged, job_dir)), job_dir, id});
    transaction.commit();
  } catch (...) {
    QDir(staged.folder).removeRecursively();
    if (!job_dir.isEmpty()) {
      QDir(job_dir).removeRecursively();
    }
    throw;
  }
  return existing_job(id);
}

// Inserts a pending row at one end and returns its id.
qint64 JobStore::insert_at(QueueEnd end, const QJsonObject& request) {
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  qint64 position = 0;
  if (end == QueueEnd::Front) {
    // Two passes keep queue_position unique at every row SQLite touches: p -> -2-p -> p+1.
    run_sql(db, database_path(),
            QStringLiteral("UPDATE jobs SET queue_position = -2 - queue_position"));
    run_sql(db, database_path(),
            QStringLiteral("UPDATE jobs SET queue_position = -1 - queue_position"));
  } else {
    QSqlQuery last =
        run_sql(db, database_path(),
                QStringLiteral("SELECT COALESCE(MAX(queue_position) + 1, 0) FROM jobs"));
    last.next();
    position = last.value(0).toLongLong();
  }
  const QSqlQuery insert = run_sql(
      db, database_path(),
      QStringLiteral("INSERT INTO jobs (queue_position, state, request, job_dir, created_ms) "
                     "VALUES (?, ?, ?, '', ?)"),
      {position, to_string(JobState::Pending), to_column(request),
       QDateTime::currentMSecsSinceEpoch()});
  return insert.lastInsertId().toLongLong();
}

QList<qint64> JobStore::move_to(const QList<qint64>& ids, int row) {
  const QList<qint64> order = ids_in_order();
  const QSet<qint64> moving(ids.begin(), ids.end());
  for (qint64 id : moving) {
    if (!order.contains(id)) {
      throw std::out_of_range("no job " + std::to_string(id) + " in " +
                              database_path().toStdString());
    }
  }
  // The moved jobs land in front of the first job at or after `row` that stays put.
  qint64 anchor = -1;
  for (qsizetype index = qMax(0, row); index < order.size(); ++index) {
    if (!moving.contains(order[index])) {
      anchor = order[index];
      break;
    }
  }
  QList<qint64> moved;
  QList<qint64> staying;
  for (qint64 id : order) {
    (moving.contains(id) ? moved : staying).append(id);
  }
  const qsizetype insert_at = anchor < 0 ? staying.size() : staying.indexOf(anchor);
  QList<qint64> new_order = staying.mid(0, insert_at);
  new_order.append(moved);
  new_order.append(staying.mid(insert_at));
  if (new_order != order) {
    SqlTransaction transaction(QSqlDatabase::database(connection_name_, false), database_path());
    write_order(new_order);
    transaction.commit();
  }
  return new_order;
}

QList<qint64> JobStore::move_to_back(const QList<qint64>& ids) {
  return move_to(ids, static_cast<int>(ids_in_order().size()));
}

QueuedJob JobStore::set_state(qint64 id, JobState state) {
  existing_job(id);
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  if (state == JobState::Pending) {
    run_sql(db, database_path(),
            QStringLiteral("UPDATE jobs SET state = ?, started_ms = NULL, finished_ms = NULL, "
                           "result = '{}', failure_class = '', failure_message = '', "
                           "failure_suggestion = '' WHERE id = ?"),
            {to_string(state), id});
  } else if (state == JobState::Running) {
    run_sql(db, database_path(),
            QStringLiteral(
                "UPDATE jobs SET state = ?, started_ms = ?, finished_ms = NULL WHERE id = ?"),
            {to_string(state), now, id});
  } else {
    run_sql(db, database_path(),
            QStringLiteral("UPDATE jobs SET state = ?, finished_ms = ? WHERE id = ?"),
            {to_string(state), now, id});
  }
  return existing_job(id);
}

QueuedJob JobStore::set_result(qint64 id, const QJsonObject& result) {
  existing_job(id);
  run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
          QStringLiteral("UPDATE jobs SET result = ? WHERE id = ?"), {to_column(result), id});
  return existing_job(id);
}

QueuedJob JobStore::set_failure(qint64 id, const QString& failure_class, const QString& message,
                                const QString& suggestion) {
  existing_job(id);
  run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
          QStringLiteral("UPDATE jobs SET state = ?, failure_class = ?, failure_message = ?, "
                         "failure_suggestion = ?, finished_ms = ? WHERE id = ?"),
          {to_string(JobState::Failed), failure_class, message, suggestion,
           QDateTime::currentMSecsSinceEpoch(), id});
  return existing_job(id);
}

void JobStore::remove(const QList<qint64>& ids) {
  for (qint64 id : ids) {
    if (existing_job(id).state == JobState::Running) {
      throw JobStoreError(database_path(), QStringLiteral("job %1 is running and cannot be "
                                                          "removed: cancel it first")
                                               .arg(id));
    }
  }
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  SqlTransaction transaction(db, database_path());
  for (qint64 id : ids) {
    run_sql(db, database_path(), QStringLiteral("DELETE FROM jobs WHERE id = ?"), {id});
  }
  write_order(ids_in_order());
  transaction.commit();
  // Folders go after the commit; one left by a kill here is swept at the next open. The path
  // is rebuilt from the id, never read from the row, so nothing outside jobs/ can be deleted.
  for (qint64 id : ids) {
    QDir(job_dir_of(id)).removeRecursively();
  }
}

QList<qint64> JobStore::clear_finished(FailedJobs failed) {
  QList<qint64> ids;
  for (const QueuedJob& job : jobs()) {
    const bool always_cleared = job.state == JobState::Done || job.state == JobState::Canceled;
    const bool failure = job.state == JobState::Failed || job.state == JobState::Interrupted;
    if (always_cleared || (failure && failed == FailedJobs::Remove)) {
      ids.append(job.id);
    }
  }
  remove(ids);
  return ids;
}

QList<QueuedJob> JobStore::jobs() const {
  QSqlQuery rows =
      run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
              QStringLiteral("SELECT %1 FROM jobs ORDER BY queue_position").arg(kColumns));
  QList<QueuedJob> all;
  while (rows.next()) {
    all.append(job_from_row(rows, database_path()));
  }
  return all;
}

std::optional<QueuedJob> JobStore::job(qint64 id) const {
  QSqlQuery row = run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
                          QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kColumns), {id});
  if (!row.next()) {
    return std::nullopt;
  }
  return job_from_row(row, database_path());
}

std::optional<QueuedJob> JobStore::next_pending() const {
  QSqlQuery row = run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
                          QStringLiteral("SELECT %1 FROM jobs WHERE state = ? ORDER BY "
                                         "queue_position LIMIT 1")
                              .arg(kColumns),
                          {to_string(JobState::Pending)});
  if (!row.next()) {
    return std::nullopt;
  }
  return job_from_row(row, database_path());
}

QList<qint64> JobStore::recover_after_crash() {
  QList<qint64> interrupted;
  for (const QueuedJob& job : jobs()) {
    if (job.state == JobState::Running) {
      interrupted.append(job.id);
    }
  }
  if (interrupted.isEmpty()) {
    return interrupted;
  }
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  SqlTransaction transaction(db, database_path());
  run_sql(
      db, database_path(),
      QStringLiteral("UPDATE jobs SET state = ?, finished_ms = ?, failure_class = ?, "
                     "failure_message = ?, failure_suggestion = ? WHERE state = ?"),
      {to_string(JobState::Interrupted), QDateTime::currentMSecsSinceEpoch(),
       QStringLiteral("interrupted"),
       QStringLiteral("The studio stopped while this job was running."),
       QStringLiteral("Requeue it to run it again from the start."), to_string(JobState::Running)});
  transaction.commit();
  return interrupted;
}

QList<qint64> JobStore::ids_in_order() const {
  QSqlQuery rows = run_sql(QSqlDatabase::database(connection_name_, false), database_path(),
                           QStringLiteral("SELECT id FROM jobs ORDER BY queue_position"));
  QList<qint64> ids;
  while (rows.next()) {
    ids.append(rows.value(0).toLongLong());
  }
  return ids;
}

QueuedJob JobStore::existing_job(qint64 id) const {
  std::optional<QueuedJob> found = job(id);
  if (!found) {
    throw std::out_of_range("no job " + std::to_string(id) + " in " +
                            database_path().toStdString());
  }
  return *found;
}

// Call inside a transaction. Negating first keeps queue_position unique at every step.
void JobStore::write_order(const QList<qint64>& ids) {
  const QSqlDatabase db = QSqlDatabase::database(connection_name_, false);
  run_sql(db, database_path(),
          QStringLiteral("UPDATE jobs SET queue_position = -1 - queue_position"));
  for (qsizetype position = 0; position < ids.size(); ++position) {
    run_sql(db, database_path(), QStringLiteral("UPDATE jobs SET queue_position = ? WHERE id = ?"),
            {static_cast<qint64>(position), ids[position]});
  }
}

// Job folders whose row never committed (an add killed midway) or whose row is gone (a remove
// killed between its commit and the folder deletion), and staged inputs no add took.
void JobStore::remove_orphan_job_dirs() {
  // Staged copies of adds that never reached their transaction.
  QDir(staging_root()).removeRecursively();
  const QDir jobs_root(QDir(dir_).filePath(QStringLiteral("jobs")));
  const QList<qint64> stored = ids_in_order();
  const QSet<qint64> stored_ids(stored.begin(), stored.end());
  for (const QString& name : jobs_root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    bool is_id = false;
    const qint64 id = name.toLongLong(&is_id);
    if (is_id && !stored_ids.contains(id)) {
      QDir(jobs_root.filePath(name)).removeRecursively();
    }
  }
}

}  // namespace cosmos3::ui
