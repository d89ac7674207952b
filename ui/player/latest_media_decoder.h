#pragma once
// Runs decode_media on a worker thread, one file at a time, and reports only the newest request.
// A request made while another decodes waits as "next" and replaces any older waiting one; the
// result of a decode that a newer request superseded is dropped unseen. Capping the work in
// flight at one also caps memory: at most one superseded file and the shown one are held.

#include "ui/player/decoded_media.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <optional>

namespace cosmos3::ui {

class LatestMediaDecoder : public QObject {
  Q_OBJECT

 public:
  struct Request {
    quint64 id = 0;
    QString path;
    // Frames to keep: a preview still needs one, a finished video all of them.
    MediaDecodeLimits limits;
  };

  explicit LatestMediaDecoder(QObject* parent = nullptr);
  // A decode still running at destruction finishes on its thread and its result is discarded:
  // waiting for it would freeze the window on close.
  ~LatestMediaDecoder() override = default;

  // Returns the request's id, which decoded() or failed() will carry if it is still the newest.
  quint64 request(const QString& path, const MediaDecodeLimits& limits);
  // Supersedes every request made so far: none of them will be reported.
  void cancel_all();
  bool is_busy() const { return running_.has_value(); }

 Q_SIGNALS:
  void decoded(quint64 id, const cosmos3::ui::DecodedMedia& media);
  // `message` is the MediaError's text, which names the file.
  void failed(quint64 id, const QString& path, const QString& message);

 private:
  struct Outcome {
    std::optional<DecodedMedia> media;
    QString error;
  };

  void start(Request request);
  void finish_running();

  QFutureWatcher<Outcome> watcher_;
  std::optional<Request> running_;
  std::optional<Request> next_;
  quint64 newest_id_ = 0;
};

}  // namespace cosmos3::ui
