#include "ui/player/latest_media_decoder.h"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <utility>

namespace cosmos3::ui {

LatestMediaDecoder::LatestMediaDecoder(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::finished, this, &LatestMediaDecoder::finish_running);
}

quint64 LatestMediaDecoder::request(const QString& path, const MediaDecodeLimits& limits) {
  Request request{++newest_id_, path, limits};
  if (running_) {
    next_ = std::move(request);
  } else {
    start(std::move(request));
  }
  return newest_id_;
}

void LatestMediaDecoder::cancel_all() {
  ++newest_id_;
  next_.reset();
}

void LatestMediaDecoder::start(Request request) {
  running_ = request;
  watcher_.setFuture(QtConcurrent::run([path = request.path, limits = request.limits] {
    Outcome outcome;
    try {
      outcome.media = decode_media(path, limits);
    } catch (const std::exception& error) {
      outcome.error = QString::fromUtf8(error.what());
    }
    return outcome;
  }));
}

void LatestMediaDecoder::finish_running() {
  if (!running_) {
    return;
  }
  const Request finished = *std::exchange(running_, std::nullopt);
  // Taken, not copied, so that the future does not hold a second reference to the frames.
  QFuture<Outcome> future = watcher_.future();
  Outcome outcome = future.takeResult();
  if (next_) {
    start(*std::exchange(next_, std::nullopt));
  }
  if (finished.id != newest_id_) {
    return;
  }
  if (outcome.media) {
    Q_EMIT decoded(finished.id, *outcome.media);
  } else {
    Q_EMIT failed(finished.id, finished.path, outcome.error);
  }
}

}  // namespace cosmos3::ui
