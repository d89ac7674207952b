#include "ui/form/control_video_reader.h"

#include "core/errors.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#ifdef COSMOS3_HAVE_MEDIA
#include "media/media_reader.h"
#endif

namespace cosmos3::ui {
namespace {

struct ReadResult {
  QString path;
  ControlVideoInfo info;
};

ReadResult read_whole_video(const QString& path, const QString& label) {
  ReadResult result{path, {}};
#ifdef COSMOS3_HAVE_MEDIA
  try {
    // Every frame: a file that breaks halfway is refused by the worker, so it is here too.
    const media::VideoFrames video = media::read_video(path.toStdString());
    result.info.frame_size = QSize(video.width, video.height);
    result.info.num_frames = video.num_frames();
  } catch (const UserError& error) {
    // The worker's wording (transfer_job.cpp's read of a control).
    result.info.problem = QStringLiteral("%1: %2 (give a video file the media module can decode)")
                              .arg(label, QString::fromUtf8(error.what()));
  }
#else
  result.info.problem = QStringLiteral(
                            "reading %1 needs the media module, which this build left out "
                            "(configure with -DCOSMOS3_BUILD_MEDIA=ON)")
                            .arg(path);
#endif
  return result;
}

}  // namespace

void ControlVideoReader::read(const QString& path, const QString& label) {
  latest_path_ = path;
  ++num_running_;
  auto* watcher = new QFutureWatcher<ReadResult>(this);
  connect(watcher, &QFutureWatcher<ReadResult>::finished, this, [this, watcher] {
    const ReadResult result = watcher->result();
    watcher->deleteLater();
    --num_running_;
    if (result.path != latest_path_) return;  // superseded by a later file
    Q_EMIT videoRead(result.path, result.info);
  });
  watcher->setFuture(QtConcurrent::run(read_whole_video, path, label));
}

ControlVideoInfo ControlVideoReader::startReading(const QString& path, const QString& label) {
  if (path.isEmpty()) return {};
  read(path, label);
  ControlVideoInfo pending;
  pending.problem = tr("still reading %1").arg(path);
  return pending;
}

}  // namespace cosmos3::ui
