#pragma once
// Reads the first frame of a conditioning image or video through the media module, off the UI
// thread, and reports it as a thumbnail or as the reason the file cannot be used (the same
// MediaError the worker would give).

#include <QImage>
#include <QObject>
#include <QString>

namespace cosmos3::ui {

class MediaThumbnailLoader : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;

  // Starts reading `path`; a later call supersedes it (only the latest file is reported).
  void load(const QString& path);

 Q_SIGNALS:
  void loaded(const QString& path, const QImage& first_frame);
  void failed(const QString& path, const QString& reason);

 private:
  QString latest_path_;
};

}  // namespace cosmos3::ui
