#include "ui/form/action_file_checker.h"

#include "core/pipeline/action_file.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace cosmos3::ui {
namespace {

struct FileCheck {
  QString problem;
  int num_steps = 0;
};

FileCheck read_actions(const QString& path, const QString& domain, int width) {
  try {
    const at::Tensor actions_TD =
        pipeline::read_action_file(path.toStdString(), width, domain.toStdString());
    return {QString(), static_cast<int>(actions_TD.size(0))};
  } catch (const std::exception& error) {
    return {QString::fromUtf8(error.what()), 0};
  }
}

}  // namespace

ActionFileChecker::ActionFileChecker(QObject* parent) : QObject(parent) {}

void ActionFileChecker::check(const QString& path, const QString& domain, int width) {
  const quint64 request = ++latest_request_;
  ++num_running_;
  auto* watcher = new QFutureWatcher<FileCheck>(this);
  connect(watcher, &QFutureWatcher<FileCheck>::finished, this, [this, watcher, request, path] {
    watcher->deleteLater();
    --num_running_;
    if (request != latest_request_) return;  // superseded by a later file or domain
    const FileCheck result = watcher->result();
    Q_EMIT checked(path, result.problem, result.num_steps);
  });
  watcher->setFuture(QtConcurrent::run(read_actions, path, domain, width));
}

}  // namespace cosmos3::ui
