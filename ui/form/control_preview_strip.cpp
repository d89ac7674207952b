#include "ui/form/control_preview_strip.h"

#include "ui/form/media_thumbnail_loader.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <tuple>

namespace cosmos3::ui {
namespace {

constexpr int kTileSize = 128;

void show_frame(QLabel* image, const QImage& frame) {
  image->setPixmap(QPixmap::fromImage(
      frame.scaled(kTileSize, kTileSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

struct MadeMap {
  QImage image;
  QString problem;
};

}  // namespace

bool ControlPreview::operator==(const ControlPreview& other) const {
  const auto settings_of = [](const ControlPreview& preview) {
    const ControlMapSettings settings = preview.made.value_or(ControlMapSettings{});
    return std::tuple(preview.made.has_value(), settings.hint, settings.edge_low_threshold,
                      settings.edge_high_threshold, settings.blur_sigma);
  };
  return label == other.label && path == other.path && settings_of(*this) == settings_of(other);
}

void ControlPreviewStrip::show_map(QLabel* image, const QImage& frame,
                                   const ControlMapSettings& settings) {
  auto* watcher = new QFutureWatcher<MadeMap>(image);
  connect(watcher, &QFutureWatcher<MadeMap>::finished, image, [image, watcher] {
    const MadeMap map = watcher->result();
    watcher->deleteLater();
    if (map.image.isNull()) {
      image->setPixmap({});
      image->setText(map.problem);
    } else {
      show_frame(image, map.image);
    }
  });
  watcher->setFuture(QtConcurrent::run([frame, settings] {
    MadeMap map;
    map.image = made_control_map(frame, settings, &map.problem);
    return map;
  }));
}

ControlPreviewStrip::ControlPreviewStrip(QWidget* parent)
    : QWidget(parent), layout_(new QHBoxLayout(this)) {
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->addStretch();
}

ControlPreviewStrip::Tile ControlPreviewStrip::make_tile(const ControlPreview& preview) {
  Tile tile;
  tile.preview = preview;
  tile.widget = new QWidget(this);
  tile.widget->setObjectName(QStringLiteral("preview_") +
                             preview.label.section(QLatin1Char(' '), 0, 0));
  tile.image = new QLabel(tile.widget);
  tile.image->setFixedSize(kTileSize, kTileSize);
  tile.image->setAlignment(Qt::AlignCenter);
  tile.image->setWordWrap(true);
  tile.image->setText(tr("reading…"));
  tile.caption = new QLabel(preview.label, tile.widget);
  tile.caption->setAlignment(Qt::AlignHCenter);
  tile.caption->setWordWrap(true);
  tile.caption->setMaximumWidth(kTileSize);
  auto* column = new QVBoxLayout(tile.widget);
  column->setContentsMargins(0, 0, 0, 0);
  column->addWidget(tile.image);
  column->addWidget(tile.caption);
  tile.loader = new MediaThumbnailLoader(tile.widget);
  QLabel* image = tile.image;
  connect(tile.loader, &MediaThumbnailLoader::loaded, image,
          [this, image, made = preview.made](const QString&, const QImage& frame) {
            if (made) {
              show_map(image, frame, *made);
            } else {
              show_frame(image, frame);
            }
          });
  connect(tile.loader, &MediaThumbnailLoader::failed, image,
          [image](const QString&, const QString& reason) {
            image->setPixmap({});
            image->setText(reason);
          });
  tile.loader->load(preview.path);
  return tile;
}

void ControlPreviewStrip::setPreviews(const QList<ControlPreview>& previews) {
  QMap<QString, Tile> kept;
  QList<QString> order;
  for (const ControlPreview& preview : previews) {
    if (preview.path.isEmpty()) continue;
    auto found = tiles_.find(preview.label);
    if (found != tiles_.end() && found->preview == preview) {
      kept.insert(preview.label, *found);
      tiles_.erase(found);
    } else {
      kept.insert(preview.label, make_tile(preview));
    }
    order.push_back(preview.label);
  }
  for (const Tile& gone : tiles_) gone.widget->deleteLater();
  tiles_ = kept;
  order_ = order;
  // Re-laid out in the hints' order; the trailing stretch keeps the tiles to the left.
  for (int index = 0; index < order_.size(); ++index) {
    QWidget* widget = tiles_.value(order_.at(index)).widget;
    layout_->removeWidget(widget);
    layout_->insertWidget(index, widget);
  }
  setVisible(!order_.isEmpty());
}

QStringList ControlPreviewStrip::captions() const { return order_; }

bool ControlPreviewStrip::showsFrame(const QString& label) const {
  const auto found = tiles_.find(label);
  return found != tiles_.end() && !found->image->pixmap().isNull();
}

}  // namespace cosmos3::ui
