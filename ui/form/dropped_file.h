#pragma once
// The file a drag carries, for every widget that takes dropped files (the form, the transfer
// rows, the window's restore by drop): the first local file among its URLs.

#include <QMimeData>
#include <QString>
#include <QUrl>

namespace cosmos3::ui {

// Empty when the drag carries no local file.
inline QString first_local_file(const QMimeData* mime) {
  if (mime == nullptr || !mime->hasUrls()) return {};
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) return url.toLocalFile();
  }
  return {};
}

}  // namespace cosmos3::ui
