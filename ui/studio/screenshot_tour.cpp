#include "ui/studio/screenshot_tour.h"

#include "ui/form/generation_form.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/main_window.h"

#include <QDir>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

namespace cosmos3::ui {

ScreenshotTour::ScreenshotTour(MainWindow& window, QString dir)
    : QObject(&window), window_(window), dir_(std::move(dir)) {
  QDir().mkpath(dir_);
  window_.dispatcher().setPaused(true);
  window_.setCloseAnswer(MainWindow::CloseAnswer::CancelJob);
  connect(&window_.backend(), &BackendController::eventReceived, this, &ScreenshotTour::on_event);
  // Shows the first job's request in the editor, as a user who just queued it would see it.
  connect(&window_, &MainWindow::modelReady, this, [this] {
    if (window_.queueModel().jobs().isEmpty() || !window_.form()) return;
    QJsonObject request = window_.queueModel().jobs().first().request;
    request.remove(QStringLiteral("preview_interval"));  // the window's setting, not the form's
    window_.form()->setRequest(request);
  });
  connect(&window_.player(), &MediaPlayerWidget::previewShown, this, [this] {
    if (!taken_.contains(QStringLiteral("running_preview"))) {
      shoot(QStringLiteral("running_preview"));
    } else if (canceled_one_ && queue_shows_every_state()) {
      shoot(QStringLiteral("queue_states"));
      show_history_then_close();
    }
  });
  connect(&window_.player(), &MediaPlayerWidget::loaded, this, [this] {
    // Lets the first frame paint before the grab.
    QTimer::singleShot(300, this, [this] {
      shoot(QStringLiteral("finished_video"));
      window_.dispatcher().setPaused(false);
    });
  });
}

void ScreenshotTour::on_event(const QJsonObject& event) {
  const QString type = event.value(QStringLiteral("type")).toString();
  if (type == QLatin1String("ready") && !taken_.contains(QStringLiteral("idle"))) {
    QTimer::singleShot(500, this, [this] {
      shoot(QStringLiteral("idle"));
      window_.dispatcher().setPaused(false);
    });
    return;
  }
  // Holds the queue while the finished video loads, so no live preview replaces it first.
  if (type == QLatin1String("finished") && !taken_.contains(QStringLiteral("finished_video"))) {
    window_.dispatcher().setPaused(true);
    return;
  }
  if (type != QLatin1String("step")) return;
  const int step = event.value(QStringLiteral("step")).toInt();
  const int num_steps = event.value(QStringLiteral("num_steps")).toInt();
  // The first long job is canceled on purpose, so the queue shows a canceled job.
  if (!canceled_one_ && num_steps >= 20 && step >= 2) {
    canceled_one_ = true;
    window_.cancelRunningJob();
  }
}

void ScreenshotTour::show_history_then_close() {
  if (auto* tabs = window_.findChild<QTabWidget*>(QStringLiteral("queue_history_tabs"))) {
    tabs->setCurrentIndex(1);
  }
  // The gallery's first frames decode on a pool thread; a second is plenty for a few jobs.
  QTimer::singleShot(1500, this, [this] {
    shoot(QStringLiteral("history_gallery"));
    window_.close();
  });
}

bool ScreenshotTour::queue_shows_every_state() const {
  QSet<JobState> states;
  for (const QueuedJob& job : window_.queueModel().jobs()) states.insert(job.state);
  return states.contains(JobState::Done) && states.contains(JobState::Failed) &&
         states.contains(JobState::Canceled) && states.contains(JobState::Pending) &&
         states.contains(JobState::Running);
}

void ScreenshotTour::shoot(const QString& name) {
  if (taken_.contains(name)) return;
  taken_.insert(name);
  const QString path = QDir(dir_).filePath(name + QStringLiteral(".png"));
  if (!window_.grab().save(path)) qWarning("cosmos3-studio: cannot save %s", qUtf8Printable(path));
}

}  // namespace cosmos3::ui
