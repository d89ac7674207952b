#pragma once
// A studio test's own home: settings (XDG_CONFIG_HOME), the queue database and outputs
// (XDG_DATA_HOME) and the group's socket (XDG_RUNTIME_DIR, owner-only as the spec asks) all
// under a temporary folder, the worker this build made, and a tiny checkpoint written by our
// own tool, so a test never touches the user's studio or another test's.

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>

namespace cosmos3::test {

// False (with a warning) when a folder cannot be made; call from initTestCase with QVERIFY.
inline bool use_private_studio_home(const QDir& home, const QString& application_name) {
  for (const char* name : {"data", "config", "runtime"}) {
    if (!home.mkpath(QString::fromLatin1(name))) {
      qWarning("cannot make %s in %s", name, qPrintable(home.path()));
      return false;
    }
  }
  if (!QFile::setPermissions(home.filePath(QStringLiteral("runtime")),
                             QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
    return false;
  }
  qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
  qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
  qputenv("XDG_RUNTIME_DIR", home.filePath(QStringLiteral("runtime")).toUtf8());
  qputenv("COSMOS3_WORKER", COSMOS3_WORKER_PROGRAM);
  QCoreApplication::setApplicationName(application_name);
  return true;
}

// `cosmos3-tool make-tiny-checkpoint dir`; true when it succeeded.
inline bool make_tiny_checkpoint(const QString& dir) {
  return QProcess::execute(QStringLiteral(COSMOS3_TOOL_PROGRAM),
                           {QStringLiteral("make-tiny-checkpoint"), dir}) == 0;
}

}  // namespace cosmos3::test
