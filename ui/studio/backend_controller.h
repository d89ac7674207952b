#pragma once
// The studio's handle on its resident backend group: owns a BackendGroup and brings its events,
// which arrive on the supervisor's thread, to the UI thread as queued signals. Nothing here
// blocks the UI thread: a restart shuts the old group down on a pool thread, and only the
// destructor (the window closing) waits for ranks.

#include "parallel/backend/backend_group.h"

#include <QFuture>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace cosmos3::ui {

class BackendController : public QObject {
  Q_OBJECT

 public:
  enum class State { Stopped, Starting, Loading, Ready, Busy, Failed, Restarting };
  Q_ENUM(State)

  explicit BackendController(QObject* parent = nullptr);
  ~BackendController() override;

  // Starts a group for `config`; progress arrives as eventReceived and stateChanged.
  void start(const backend::GroupConfig& config);
  // Shuts the current group down off the UI thread and starts one for `config`.
  void restart(const backend::GroupConfig& config);
  void submit(const QString& job_id, const QJsonObject& job);
  void cancel(const QString& job_id);

  State state() const { return state_; }
  bool isReady() const { return state_ == State::Ready; }
  // One line for the status bar: "backend: loading transformer (12/40 MiB)", ...
  QString statusText() const { return status_text_; }

 Q_SIGNALS:
  // Every event of the current group, on the UI thread.
  void eventReceived(const QJsonObject& event);
  void stateChanged(cosmos3::ui::BackendController::State state, const QString& status_text);

 private:
  void on_event(int generation, const QJsonObject& event);
  void set_state(State state, const QString& text);

  std::shared_ptr<backend::BackendGroup> group_;
  QList<QFuture<void>> shutdowns_;
  int generation_ = 0;
  State state_ = State::Stopped;
  QString status_text_;
};

}  // namespace cosmos3::ui
