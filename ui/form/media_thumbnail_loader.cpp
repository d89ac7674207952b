#include "ui/form/media_thumbnail_loader.h"

#include "core/errors.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#ifdef COSMOS3_HAVE_MEDIA
#include "media/media_reader.h"
#endif

namespace cosmos3::ui {
namespace {

struct FirstFrame {
  QString path;
  QImage image;
  QString error;
};

FirstFrame read_first_frame(const QString& path) {
  FirstFrame result{path, {}, {}};
#ifdef COSMOS3_HAVE_MEDIA
  try {
    const media::VideoFrames video = media::read_video(path.toStdString(), /*max_frames=*/1);
    if (video.frames.empty()) {
      result.error = QStringLiteral("%1 holds no frame to condition on").arg(path);
      return result;
    }
    const QImage view(video.frames.front().data(), video.width, video.height, video.width * 3,
                      QImage::Format_RGB888);
    result.image = view.copy();  // the view borrows the decoded buffer, which goes away here
  } catch (const UserError& error) {
    result.error = QString::fromUtf8(error.what());
  }
#else
  result.error = QStringLiteral(
                     "reading %1 needs the media module, which this build left out (configure with "
                     "-DCOSMOS3_BUILD_MEDIA=ON)")
                     .arg(path);
#endif
  return result;
}

}  // namespace

void MediaThumbnailLoader::load(const QString& path) {
  latest_path_ = path;
  auto* watcher = new QFutureWatcher<FirstFrame>(this);
  connect(watcher, &QFutureWatcher<FirstFrame>::finished, this, [this, watcher] {
    const FirstFrame frame = watcher->result();
    watcher->deleteLater();
    if (frame.path != latest_path_) {
      return;
    }
    if (frame.error.isEmpty()) {
      Q_EMIT loaded(frame.path, frame.image);
    } else {
      Q_EMIT failed(frame.path, frame.error);
    }
  });
  watcher->setFuture(QtConcurrent::run(read_first_frame, path));
}

}  // namespace cosmos3::ui
