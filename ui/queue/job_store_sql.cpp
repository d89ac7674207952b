#include "ui/queue/job_store_sql.h"

#include "ui/queue/job_store_error.h"

#include <QSqlError>

#include <utility>

namespace cosmos3::ui {
namespace {

[[noreturn]] void throw_sql_error(const QString& file, const QString& what,
                                  const QSqlError& error) {
  throw JobStoreError(file, QStringLiteral("the queue database %1 failed to %2 (SQLite: %3): free "
                                           "space on its disk, check that no other program holds "
                                           "it, and retry")
                                .arg(file, what, error.text()));
}

}  // namespace

QSqlQuery run_sql(const QSqlDatabase& db, const QString& file, const QString& sql,
                  const QVariantList& values) {
  QSqlQuery query(db);
  if (!query.prepare(sql)) {
    throw_sql_error(file, QStringLiteral("prepare \"%1\"").arg(sql), query.lastError());
  }
  for (const QVariant& value : values) {
    query.addBindValue(value);
  }
  if (!query.exec()) {
    throw_sql_error(file, QStringLiteral("run \"%1\"").arg(sql), query.lastError());
  }
  return query;
}

SqlTransaction::SqlTransaction(QSqlDatabase db, QString file)
    : db_(std::move(db)), file_(std::move(file)) {
  if (!db_.transaction()) {
    throw_sql_error(file_, QStringLiteral("start a transaction"), db_.lastError());
  }
}

SqlTransaction::~SqlTransaction() {
  if (!finished_) {
    db_.rollback();
  }
}

void SqlTransaction::commit() {
  if (!db_.commit()) {
    const QSqlError error = db_.lastError();
    db_.rollback();
    finished_ = true;
    throw_sql_error(file_, QStringLiteral("commit"), error);
  }
  finished_ = true;
}

}  // namespace cosmos3::ui
