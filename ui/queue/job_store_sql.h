#pragma once
// The two SQL tools the job store is written with: a statement that throws instead of returning
// false, and a transaction that rolls back unless committed, so that every store operation is
// all-or-nothing even when an exception or a kill cuts it short.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace cosmos3::ui {

// Runs `sql` with `values` bound in order. Throws JobStoreError naming `file` on failure.
QSqlQuery run_sql(const QSqlDatabase& db, const QString& file, const QString& sql,
                  const QVariantList& values = {});

class SqlTransaction {
 public:
  SqlTransaction(QSqlDatabase db, QString file);
  ~SqlTransaction();

  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;

  void commit();

 private:
  QSqlDatabase db_;
  QString file_;
  bool finished_ = false;
};

}  // namespace cosmos3::ui
