#include "ui/studio/tiny_checkpoint_maker.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace cosmos3::ui {

TinyCheckpointMaker::TinyCheckpointMaker(QObject* parent) : QObject(parent) {}

bool TinyCheckpointMaker::exists(const QString& dir) {
  return QFileInfo::exists(QDir(dir).filePath(QStringLiteral("model_index.json")));
}

QString TinyCheckpointMaker::find_tool() {
  const QString from_environment = qEnvironmentVariable("COSMOS3_TOOL");
  if (!from_environment.isEmpty()) return from_environment;
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath(QStringLiteral("cosmos3-tool")),
                                   here.filePath(QStringLiteral("../cosmos3-tool"))}) {
    if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
  }
  return {};
}

void TinyCheckpointMaker::make(const QString& dir) {
  if (exists(dir)) {
    Q_EMIT made(dir);
    return;
  }
  const QString tool = find_tool();
  if (tool.isEmpty()) {
    Q_EMIT failed(tr("cosmos3-tool was not found beside %1 or one folder up; set COSMOS3_TOOL to "
                     "its path, or choose a model folder with --model DIR")
                      .arg(QCoreApplication::applicationDirPath()));
    return;
  }
  const QString staging = dir + QStringLiteral(".partial");
  QDir(staging).removeRecursively();
  QDir().mkpath(QFileInfo(dir).absolutePath());
  process_ = new QProcess(this);
  process_->setProcessChannelMode(QProcess::MergedChannels);
  connect(
      process_, &QProcess::finished, this,
      [this, dir, staging, tool](int exit_code, QProcess::ExitStatus status) {
        const QString log = QString::fromLocal8Bit(process_->readAll()).trimmed();
        process_->deleteLater();
        process_ = nullptr;
        if (status != QProcess::NormalExit || exit_code != 0) {
          Q_EMIT failed(
              tr("%1 make-tiny-checkpoint failed (exit %2): %3").arg(tool).arg(exit_code).arg(log));
          return;
        }
        QDir(dir).removeRecursively();
        if (!QDir().rename(staging, dir)) {
          Q_EMIT failed(tr("cannot move the tiny checkpoint to %1; check that its folder is "
                           "writable")
                            .arg(dir));
          return;
        }
        Q_EMIT made(dir);
      });
  connect(process_, &QProcess::errorOccurred, this, [this, tool](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    Q_EMIT failed(tr("cannot run %1; set COSMOS3_TOOL to a working cosmos3-tool").arg(tool));
  });
  process_->start(tool, {QStringLiteral("make-tiny-checkpoint"), staging});
}

}  // namespace cosmos3::ui
