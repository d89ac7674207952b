#pragma once
// The chosen control videos side by side: each one's first frame under its hint's name, in the
// order the controls enter the sequence, so a user sees at a glance that the maps show the same
// scene; a control the worker makes from a source video shows the map the engine makes of the
// source's first frame. Frames are read and maps made off the UI thread; a file that cannot be
// read shows its reason instead.

#include "ui/form/control_map_preview.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>

#include <optional>

class QHBoxLayout;
class QLabel;

namespace cosmos3::ui {

class MediaThumbnailLoader;

struct ControlPreview {
  QString label;                           // "edge", "blur (made from source.mp4)"
  QString path;                            // the file whose first frame is shown
  std::optional<ControlMapSettings> made;  // a made control: the map of that frame

  bool operator==(const ControlPreview& other) const;
};

class ControlPreviewStrip : public QWidget {
  Q_OBJECT

 public:
  explicit ControlPreviewStrip(QWidget* parent = nullptr);

  // One tile per preview, left to right; tiles whose file and map settings did not change are
  // kept, not read again.
  void setPreviews(const QList<ControlPreview>& previews);
  // The tiles' captions, left to right.
  QStringList captions() const;
  // Whether the tile of `label` shows a frame (false while it is read or when it failed).
  bool showsFrame(const QString& label) const;

 private:
  struct Tile {
    ControlPreview preview;
    QWidget* widget = nullptr;
    QLabel* image = nullptr;
    QLabel* caption = nullptr;
    MediaThumbnailLoader* loader = nullptr;
  };

  Tile make_tile(const ControlPreview& preview);
  void show_map(QLabel* image, const QImage& frame, const ControlMapSettings& settings);

  QHBoxLayout* layout_;
  QList<QString> order_;
  QMap<QString, Tile> tiles_;
};

}  // namespace cosmos3::ui
