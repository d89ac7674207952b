#include "ui/studio/backend_controller.h"

#include <QJsonDocument>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace cosmos3::ui {
namespace {

QJsonObject to_qt(const nlohmann::json& event) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(event.dump())).object();
}

nlohmann::json to_nlohmann(const QJsonObject& object) {
  return nlohmann::json::parse(QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString());
}

QString mebibytes(double bytes) { return QString::number(bytes / (1 << 20), 'f', 0); }

}  // namespace

BackendController::BackendController(QObject* parent) : QObject(parent) {
  status_text_ = tr("backend: stopped");
}

BackendController::~BackendController() {
  // The window is closing: this is the one place that may wait for ranks.
  if (group_) group_->shutdown();
  group_.reset();
  for (QFuture<void>& shutdown : shutdowns_) shutdown.waitForFinished();
}

void BackendController::start(const backend::GroupConfig& config) {
  const int generation = ++generation_;
  // The callback runs on the supervisor's thread; posting to `this` is safe there, and a
  // generation tag drops the late events of a group being replaced.
  group_ = std::make_shared<backend::BackendGroup>(
      config, [this, generation](const nlohmann::json& event) {
        QMetaObject::invokeMethod(
            this, [this, generation, object = to_qt(event)] { on_event(generation, object); },
            Qt::QueuedConnection);
      });
  set_state(State::Starting, tr("backend: starting %1 rank(s)").arg(config.num_ranks()));
  group_->start();
}

void BackendController::restart(const backend::GroupConfig& config) {
  if (std::shared_ptr<backend::BackendGroup> old = std::move(group_)) {
    shutdowns_.append(QtConcurrent::run([old] { old->shutdown(); }));
  }
  set_state(State::Restarting, tr("backend: restarting"));
  start(config);
}

void BackendController::submit(const QString& job_id, const QJsonObject& job) {
  if (group_) group_->submit(job_id.toStdString(), to_nlohmann(job));
}

void BackendController::cancel(const QString& job_id) {
  if (group_) group_->cancel(job_id.toStdString());
}

void BackendController::on_event(int generation, const QJsonObject& event) {
  if (generation != generation_) return;
  const QString type = event.value(QStringLiteral("type")).toString();
  if (type == QLatin1String("group")) {
    const QString group_state = event.value(QStringLiteral("state")).toString();
    const QString message = event.value(QStringLiteral("message")).toString();
    if (group_state == QLatin1String("starting")) {
      set_state(
          State::Starting,
          tr("backend: starting %1 rank(s)").arg(event.value(QStringLiteral("num_ranks")).toInt()));
    } else if (group_state == QLatin1String("connected")) {
      set_state(State::Loading, tr("backend: loading the model"));
    } else if (group_state == QLatin1String("restarting")) {
      set_state(State::Restarting, tr("backend: a rank died, restarting the group"));
    } else if (group_state == QLatin1String("failed")) {
      set_state(State::Failed,
                tr("backend failed: %1 (rank logs: %2)")
                    .arg(message, event.value(QStringLiteral("log_dir")).toString()));
    } else if (group_state == QLatin1String("stopped")) {
      set_state(State::Stopped, tr("backend: stopped"));
    }
  } else if (type == QLatin1String("loading")) {
    set_state(State::Loading,
              tr("backend: loading %1 (%2 / %3 MiB)")
                  .arg(event.value(QStringLiteral("component")).toString(),
                       mebibytes(event.value(QStringLiteral("bytes_read")).toDouble()),
                       mebibytes(event.value(QStringLiteral("bytes_total")).toDouble())));
  } else if (type == QLatin1String("ready")) {
    // A group that was ready before the supervisor connected reports no load time.
    const double load_seconds = event.value(QStringLiteral("load_seconds")).toDouble();
    set_state(State::Ready, load_seconds > 0
                                ? tr("backend: ready (loaded in %1 s)").arg(load_seconds, 0, 'f', 1)
                                : tr("backend: ready"));
  } else if (type == QLatin1String("group_failed")) {
    set_state(State::Failed, tr("backend failed to load: %1 %2")
                                 .arg(event.value(QStringLiteral("message")).toString(),
                                      event.value(QStringLiteral("suggestion")).toString()));
  } else if (type == QLatin1String("accepted")) {
    set_state(State::Busy,
              tr("backend: busy with %1").arg(event.value(QStringLiteral("job_id")).toString()));
  } else if (type == QLatin1String("finished") || type == QLatin1String("canceled") ||
             type == QLatin1String("failed")) {
    if (state_ == State::Busy) set_state(State::Ready, tr("backend: ready"));
  }
  Q_EMIT eventReceived(event);
}

void BackendController::set_state(State state, const QString& text) {
  state_ = state;
  status_text_ = text;
  Q_EMIT stateChanged(state, text);
}

}  // namespace cosmos3::ui
