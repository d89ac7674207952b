#include "ui/history/history_thumbnails.h"

#include "ui/form/media_thumbnail_loader.h"

namespace cosmos3::ui {

HistoryThumbnails::HistoryThumbnails(QObject* parent)
    : QObject(parent), loader_(new MediaThumbnailLoader(this)) {
  connect(loader_, &MediaThumbnailLoader::loaded, this,
          [this](const QString& path, const QImage& frame) {
            done_.insert(path,
                         frame.scaled(kSize, kSize, Qt::KeepAspectRatio, Qt::SmoothTransformation));
            loading_.clear();
            Q_EMIT thumbnailReady(path);
            load_next();
          });
  connect(loader_, &MediaThumbnailLoader::failed, this,
          [this](const QString& path, const QString&) {
            unreadable_.insert(path);  // deleted or moved: shown without a picture
            loading_.clear();
            load_next();
          });
}

QImage HistoryThumbnails::thumbnail(const QString& path) {
  const auto found = done_.constFind(path);
  if (found != done_.constEnd()) return *found;
  if (!unreadable_.contains(path) && loading_ != path && !waiting_.contains(path)) {
    waiting_.append(path);
    load_next();
  }
  return {};
}

void HistoryThumbnails::load_next() {
  // The loader reports only its latest file, so one load runs at a time.
  if (!loading_.isEmpty() || waiting_.isEmpty()) return;
  loading_ = waiting_.takeFirst();
  loader_->load(loading_);
}

}  // namespace cosmos3::ui
