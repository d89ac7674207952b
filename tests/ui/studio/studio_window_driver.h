#pragma once
// What the studio suites do to the real window as a user would: open it on their settings,
// drop a file on it, and queue the editor's job and wait for it.

#include "ui/queue/job_queue_model.h"
#include "ui/studio/main_window.h"
#include "ui/studio/studio_settings.h"

#include <QCoreApplication>
#include <QDropEvent>
#include <QFileInfo>
#include <QJsonArray>
#include <QMimeData>
#include <QString>
#include <QTest>
#include <QUrl>

#include <memory>

namespace cosmos3::test {

// The studio's window on `settings`, shown; closing it cancels a running job without asking.
// The caller waits for it to be exposed (QTest::qWaitForWindowExposed) where it needs that.
inline std::unique_ptr<ui::MainWindow> open_studio_window(const ui::StudioSettings& settings) {
  auto window = std::make_unique<ui::MainWindow>(settings);
  window->setCloseAnswer(ui::MainWindow::CloseAnswer::CancelJob);
  window->show();
  return window;
}

// Drags `path` over the middle of `window` and drops it there; false when the window refused
// the drag (then nothing is dropped).
inline bool drop_file_on(QWidget& window, const QString& path) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPoint where = window.rect().center();
  QDragEnterEvent enter(where, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(where), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &drop);
  return true;
}

// Queues the editor's job at the back, as Ctrl+Enter does, and waits for its end. A job that
// does not end in time (or is never stored) is returned as it is, so the caller's check of its
// state names what happened.
inline ui::QueuedJob run_form_job(ui::MainWindow& window) {
  ui::JobQueueModel& model = window.queueModel();
  const qsizetype num_jobs = model.jobs().size();
  window.queueAtBack();
  // The job is stored off the UI thread: its row comes a moment later.
  if (!QTest::qWaitFor([&] { return model.jobs().size() == num_jobs + 1; }, 10000)) return {};
  const qint64 id = model.jobs().last().id;
  const auto job = [&] { return model.jobs().at(model.row_of(id)); };
  const bool ended = QTest::qWaitFor(
      [&] { return job().state == ui::JobState::Done || job().state == ui::JobState::Failed; },
      300000);
  Q_UNUSED(ended);
  return job();
}

// The finished job's output called `file_name` (sample.mp4, generation.json), empty when none.
inline QString output_named(const ui::QueuedJob& job, const QString& file_name) {
  for (const QJsonValue output : job.result.value(QStringLiteral("outputs")).toArray()) {
    if (QFileInfo(output.toString()).fileName() == file_name) return output.toString();
  }
  return {};
}

}  // namespace cosmos3::test
