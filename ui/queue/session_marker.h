#pragma once
// The unclean-shutdown marker, as OBS keeps one: a file made when a session starts and removed
// when it ends cleanly, so finding it at the next start means the last session was killed.

#include <QString>

namespace cosmos3::ui {

class SessionMarker {
 public:
  // Notes whether `path` was left behind by an earlier session, then (re)creates it.
  explicit SessionMarker(QString path);
  // A clean end of the session: removes the marker.
  ~SessionMarker();

  SessionMarker(const SessionMarker&) = delete;
  SessionMarker& operator=(const SessionMarker&) = delete;

  bool last_session_crashed() const { return last_session_crashed_; }
  const QString& path() const { return path_; }

 private:
  QString path_;
  bool last_session_crashed_ = false;
};

}  // namespace cosmos3::ui
