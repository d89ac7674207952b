#pragma once
// The chosen control videos side by side: each one's first frame under its hint's name, in the
// order the controls enter the sequence, so a user sees at a glance that the maps show the same
// scene. Frames are read off the UI thread by MediaThumbnailLoader; a file that cannot be read
// shows its reason instead.

#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace cosmos3::ui {

class MediaThumbnailLoader;

struct ControlPreview {
  QString label;  // "edge", "blur (made from source.mp4)"
  QString path;   // the file whose first frame is shown
};

class ControlPreviewStrip : public QWidget {
  Q_OBJECT

 public:
  explicit ControlPreviewStrip(QWidget* parent = nullptr);

  // One tile per preview, left to right; files already shown are not read again.
  void setPreviews(const QList<ControlPreview>& previews);
  // The tiles' captions, left to right.
  QStringList captions() const;
  // Whether the tile of `label` shows a frame (false while it is read or when it failed).
  bool showsFrame(const QString& label) const;

 private:
  struct Tile {
    QString path;
    QWidget* widget = nullptr;
    QLabel* image = nullptr;
    QLabel* caption = nullptr;
    MediaThumbnailLoader* loader = nullptr;
  };

  Tile make_tile(const ControlPreview& preview);

  QHBoxLayout* layout_;
  QList<QString> order_;
  QMap<QString, Tile> tiles_;
};

}  // namespace cosmos3::ui
