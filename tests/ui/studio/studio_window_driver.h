#pragma once
// What the studio suites do to the real window as a user would: open it on their settings and
// drop a file on it.

#include "ui/studio/main_window.h"
#include "ui/studio/studio_settings.h"

#include <QCoreApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QString>
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

}  // namespace cosmos3::test
