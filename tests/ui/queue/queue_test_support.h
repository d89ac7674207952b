#pragma once
// Requests and input files for the queue suites.

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <atomic>

namespace cosmos3::test {

// A valid protocol job object; `extra` keys are added or override.
inline QJsonObject job_request(const QString& prompt, const QJsonObject& extra = {}) {
  QJsonObject request{{QStringLiteral("prompt"), prompt},
                      {QStringLiteral("output_dir"), QStringLiteral("/tmp/cosmos3-outputs")},
                      {QStringLiteral("height"), 128},
                      {QStringLiteral("width"), 192},
                      {QStringLiteral("num_frames"), 17},
                      {QStringLiteral("steps"), 10}};
  for (auto key = extra.begin(); key != extra.end(); ++key) {
    request.insert(key.key(), key.value());
  }
  return request;
}

inline QString write_file(const QString& dir, const QString& name, const QByteArray& bytes) {
  QDir().mkpath(dir);
  const QString path = QDir(dir).filePath(name);
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
    qFatal("cannot write the test file %s", qPrintable(path));
  }
  return path;
}

inline QByteArray read_file(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Runs `sql` on the database file directly, as another program would, and returns the first
// column of every row.
inline QVariantList query_file(const QString& file, const QString& sql) {
  static std::atomic<int> num_connections{0};
  const QString name = QStringLiteral("queue_test_%1").arg(num_connections++);
  QVariantList values;
  {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(file);
    if (!db.open()) {
      qFatal("cannot open %s", qPrintable(file));
    }
    QSqlQuery query(db);
    if (!query.exec(sql)) {
      qFatal("cannot run %s", qPrintable(sql));
    }
    while (query.next()) {
      values.append(query.value(0));
    }
    query.finish();
    db.close();
  }
  QSqlDatabase::removeDatabase(name);
  return values;
}

// True when the stored queue positions are exactly 0, 1, ..., n-1.
inline bool positions_are_dense(const QString& file) {
  const QVariantList positions =
      query_file(file, QStringLiteral("SELECT queue_position FROM jobs ORDER BY queue_position"));
  for (qsizetype i = 0; i < positions.size(); ++i) {
    if (positions[i].toLongLong() != i) {
      return false;
    }
  }
  return true;
}

}  // namespace cosmos3::test
