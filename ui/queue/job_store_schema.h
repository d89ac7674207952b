#pragma once
// The queue database's layout and its migrations, after qBittorrent's resume-data store: a
// `meta` table holds the schema version, and every pending migration runs in one transaction,
// so a kill during an upgrade leaves the old version intact.

#include <QSqlDatabase>
#include <QString>

namespace cosmos3::ui {

// The newest layout this build writes; a database with a higher version is refused.
inline constexpr int kJobStoreSchemaVersion = 1;

// Checks that `db` (opened on `file`) is a readable SQLite database, switches it to WAL and
// applies the migrations it lacks. Throws JobStoreError naming `file` and the fix for a
// corrupt or unreadable file or one written by a newer studio.
void prepare_job_store_schema(const QSqlDatabase& db, const QString& file);

}  // namespace cosmos3::ui
