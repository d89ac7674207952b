#pragma once
// First frames of finished outputs for the history gallery: decoded one at a time on a pool
// thread (through the media module's reader, as the form's input thumbnails), scaled, and kept
// by path. A path asked for before its frame is ready answers null and announces it later.

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace cosmos3::ui {

class MediaThumbnailLoader;

class HistoryThumbnails : public QObject {
  Q_OBJECT

 public:
  static constexpr int kSize = 160;  // the longer side, in pixels

  explicit HistoryThumbnails(QObject* parent = nullptr);

  // The thumbnail of `path`, or a null image while it loads (or when it cannot be read).
  QImage thumbnail(const QString& path);

 Q_SIGNALS:
  void thumbnailReady(const QString& path);

 private:
  void load_next();

  MediaThumbnailLoader* loader_;
  QHash<QString, QImage> done_;
  QSet<QString> unreadable_;
  QStringList waiting_;
  QString loading_;
};

}  // namespace cosmos3::ui
