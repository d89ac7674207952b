#pragma once
// Makes the embedded tiny checkpoint (the studio's model when none is configured) by running
// `cosmos3-tool make-tiny-checkpoint` as a QProcess, so the UI thread never waits for it. The
// folder is written beside its final place and renamed, so a kill never leaves half of one.

#include <QObject>
#include <QString>

class QProcess;

namespace cosmos3::ui {

class TinyCheckpointMaker : public QObject {
  Q_OBJECT

 public:
  explicit TinyCheckpointMaker(QObject* parent = nullptr);

  // True when `dir` already holds a checkpoint (its model_index.json).
  static bool exists(const QString& dir);
  // $COSMOS3_TOOL, else cosmos3-tool beside this executable or one folder up; empty if none.
  static QString find_tool();

  // Reports made(dir) or failed(message); made at once when the folder exists.
  void make(const QString& dir);

 Q_SIGNALS:
  void made(const QString& dir);
  void failed(const QString& message);

 private:
  QProcess* process_ = nullptr;
};

}  // namespace cosmos3::ui
