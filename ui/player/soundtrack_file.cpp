#include "ui/player/soundtrack_file.h"

#include "core/errors.h"
#include "media/stream_probe.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <filesystem>

namespace cosmos3::ui {

QString soundtrack_file(const QString& path) {
  std::vector<media::StreamInfo> streams;
  try {
    streams = media::probe_streams(std::filesystem::path(path.toStdU16String()));
  } catch (const MediaError&) {
    return {};  // the decoder reports why the file cannot be read
  }
  const bool has_audio = std::any_of(streams.begin(), streams.end(),
                                     [](const auto& stream) { return stream.kind == "audio"; });
  if (!has_audio) {
    return {};
  }
  const QFileInfo file(path);
  const QString wav = file.dir().filePath(file.completeBaseName() + QStringLiteral(".wav"));
  return QFileInfo::exists(wav) ? wav : path;
}

}  // namespace cosmos3::ui
