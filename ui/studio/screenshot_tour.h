#pragma once
// Saves screenshots of the window at the moments the docs show (scripts/screenshots.sh sets
// COSMOS3_STUDIO_SCREENSHOTS=DIR): the idle window, a job mid-denoise with its live preview, a
// finished video, a queue holding jobs in several states, and the history gallery. It drives the
// queue only through the window's own controls (pause, cancel), then closes the window.

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

namespace cosmos3::ui {

class MainWindow;

class ScreenshotTour : public QObject {
  Q_OBJECT

 public:
  // Starts paused so the idle window can be shot; the queue runs after that.
  ScreenshotTour(MainWindow& window, QString dir);

 private:
  void on_event(const QJsonObject& event);
  void shoot(const QString& name);
  bool queue_shows_every_state() const;
  void show_history_then_close();

  MainWindow& window_;
  QString dir_;
  QSet<QString> taken_;
  bool canceled_one_ = false;
};

}  // namespace cosmos3::ui
