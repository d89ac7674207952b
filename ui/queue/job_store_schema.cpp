#include "ui/queue/job_store_schema.h"

#include "ui/queue/job_store_error.h"
#include "ui/queue/job_store_sql.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <array>

namespace cosmos3::ui {
namespace {

// Migration N (1-based) takes a database from version N-1 to N. Append, never edit: files in
// users' hands were made by the old entries.
const std::array<QStringList, kJobStoreSchemaVersion> kMigrations{{
    {
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL)"),
        // queue_position is dense and unique (0, 1, 2, ...), rewritten on every reorder.
        QStringLiteral("CREATE TABLE jobs ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " queue_position INTEGER NOT NULL UNIQUE,"
                       " state TEXT NOT NULL,"
                       " request TEXT NOT NULL,"
                       " job_dir TEXT NOT NULL,"
                       " result TEXT NOT NULL DEFAULT '{}',"
                       " failure_class TEXT NOT NULL DEFAULT '',"
                       " failure_message TEXT NOT NULL DEFAULT '',"
                       " failure_suggestion TEXT NOT NULL DEFAULT '',"
                       " created_ms INTEGER NOT NULL,"
                       " started_ms INTEGER,"
                       " finished_ms INTEGER)"),
    },
}};

[[noreturn]] void throw_unreadable(const QString& file, const QString& problem) {
  throw JobStoreError(file, QStringLiteral("the queue database %1 cannot be read (%2): move it "
                                           "away to start with an empty queue, or restore it "
                                           "from a backup")
                                .arg(file, problem));
}

// Reading the file at all is what tells a corrupt or foreign file apart from a queue database.
void check_readable(const QSqlDatabase& db, const QString& file) {
  QSqlQuery check(db);
  if (!check.exec(QStringLiteral("PRAGMA quick_check"))) {
    throw_unreadable(file, check.lastError().text());
  }
  if (!check.next() || check.value(0).toString() != QLatin1String("ok")) {
    throw_unreadable(
        file, QStringLiteral("SQLite's integrity check says: %1").arg(check.value(0).toString()));
  }
}

void use_write_ahead_log(const QSqlDatabase& db, const QString& file) {
  QSqlQuery mode = run_sql(db, file, QStringLiteral("PRAGMA journal_mode=WAL"));
  if (!mode.next() || mode.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive)) {
    throw JobStoreError(file, QStringLiteral("the queue database %1 cannot use a write-ahead log: "
                                             "keep it on a local disk (not a network share)")
                                  .arg(file));
  }
  // Queue writes are few and small; FULL makes a committed job survive a power cut too.
  run_sql(db, file, QStringLiteral("PRAGMA synchronous=FULL"));
}

int stored_version(const QSqlDatabase& db, const QString& file) {
  QSqlQuery has_meta =
      run_sql(db, file,
              QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
  if (!has_meta.next()) {
    return 0;
  }
  QSqlQuery version =
      run_sql(db, file, QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'"));
  bool is_number = false;
  const int number = version.next() ? version.value(0).toInt(&is_number) : 0;
  if (!is_number || number < 1) {
    throw_unreadable(file, QStringLiteral("its meta table holds no valid schema_version"));
  }
  return number;
}

}  // namespace

void prepare_job_store_schema(const QSqlDatabase& db, const QString& file) {
  check_readable(db, file);
  use_write_ahead_log(db, file);

  SqlTransaction transaction(db, file);
  const int version = stored_version(db, file);
  if (version > kJobStoreSchemaVersion) {
    throw JobStoreError(file, QStringLiteral("the queue database %1 was written by a newer Cosmos3 "
                                             "Studio (schema version %2; this one reads up to %3): "
                                             "run the newer studio, or move the file away to "
                                             "start with an empty queue")
                                  .arg(file)
                                  .arg(version)
                                  .arg(kJobStoreSchemaVersion));
  }
  if (version == kJobStoreSchemaVersion) {
    return;
  }
  for (int next_version = version + 1; next_version <= kJobStoreSchemaVersion; ++next_version) {
    for (const QString& statement : kMigrations[static_cast<std::size_t>(next_version - 1)]) {
      run_sql(db, file, statement);
    }
  }
  run_sql(db, file,
          QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)"),
          {kJobStoreSchemaVersion});
  transaction.commit();
}

}  // namespace cosmos3::ui
