#pragma once
// Tiny Cosmos3 pipeline folders for the form's suites, made by the real tool
// (cosmos3-tool make-tiny-checkpoint) so the form reads exactly what users' folders hold.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>

#include <functional>

namespace cosmos3::test {

// The folder, or an empty string (with the tool's output logged) when the tool failed.
inline QString make_tiny_checkpoint(const QString& folder) {
  QProcess tool;
  tool.setProcessChannelMode(QProcess::MergedChannels);
  tool.start(QStringLiteral(COSMOS3_TOOL_PATH), {QStringLiteral("make-tiny-checkpoint"), folder});
  if (!tool.waitForFinished(300'000) || tool.exitStatus() != QProcess::NormalExit ||
      tool.exitCode() != 0) {
    qWarning("cosmos3-tool make-tiny-checkpoint failed: %s", tool.readAll().constData());
    return {};
  }
  return folder;
}

// Rewrites a JSON file of the folder (the VAE's factors, the transformer's flags, ...).
inline bool edit_json_file(const QString& path, const std::function<void(QJsonObject&)>& edit) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return false;
  }
  QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
  file.close();
  edit(json);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    return false;
  }
  return file.write(QJsonDocument(json).toJson()) > 0;
}

inline bool write_text_file(const QString& path, const QByteArray& text) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

}  // namespace cosmos3::test
