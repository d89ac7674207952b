#pragma once
// A studio test's own home: settings (XDG_CONFIG_HOME), the queue database and outputs
// (XDG_DATA_HOME) and the group's socket (XDG_RUNTIME_DIR, owner-only as the spec asks) all
// under a temporary folder, and the worker this build made, so a test never touches the
// user's studio or another test's.

// The studio suites name the tool COSMOS3_TOOL_PROGRAM; the form suites' checkpoint maker
// (make_tiny_checkpoint, edit_json_file) reads COSMOS3_TOOL_PATH.
#ifndef COSMOS3_TOOL_PATH
#define COSMOS3_TOOL_PATH COSMOS3_TOOL_PROGRAM
#endif
#include "tests/ui/form/tiny_checkpoint.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
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

inline QByteArray read_file(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace cosmos3::test
