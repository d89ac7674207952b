#include "ui/queue/session_marker.h"

#include "ui/queue/job_store_error.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <utility>

namespace cosmos3::ui {

SessionMarker::SessionMarker(QString path) : path_(std::move(path)) {
  last_session_crashed_ = QFile::exists(path_);
  // The start time inside helps whoever looks at a leftover marker by hand.
  QSaveFile marker(path_);
  const bool written =
      marker.open(QIODevice::WriteOnly) &&
      marker.write(QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8()) >= 0 &&
      marker.commit();
  if (!written) {
    throw JobStoreError(path_, QStringLiteral("cannot write the session marker %1 (%2): make its "
                                              "folder writable, or free space on its disk")
                                   .arg(path_, marker.errorString()));
  }
}

SessionMarker::~SessionMarker() { QFile::remove(path_); }

}  // namespace cosmos3::ui
