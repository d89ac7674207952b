#include "ui/studio/output_drop_filter.h"

#include "ui/form/dropped_file.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QWidget>

namespace cosmos3::ui {

OutputDropFilter::OutputDropFilter(QWidget& window, std::function<void(const QString&)> on_drop)
    : QObject(&window), on_drop_(std::move(on_drop)) {
  window.setAcceptDrops(true);
  window.installEventFilter(this);
}

bool OutputDropFilter::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::DragEnter) {
    auto* enter = static_cast<QDragEnterEvent*>(event);
    if (!first_local_file(enter->mimeData()).isEmpty()) {
      enter->acceptProposedAction();
      return true;
    }
  } else if (event->type() == QEvent::Drop) {
    auto* drop = static_cast<QDropEvent*>(event);
    const QString path = first_local_file(drop->mimeData());
    if (!path.isEmpty()) {
      drop->acceptProposedAction();
      on_drop_(path);
      return true;
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace cosmos3::ui
