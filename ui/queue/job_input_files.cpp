#include "ui/queue/job_input_files.h"

#include "ui/queue/job_store_error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonValue>
#include <QUuid>

namespace cosmos3::ui {
namespace {

QString input_path(const QJsonObject& request, const QString& key) {
  const QJsonValue value = request.value(key);
  if (!value.isString() || value.toString().isEmpty()) {
    throw JobStoreError(QString(), QStringLiteral("the job's %1 is %2: give the path of an input "
                                                  "file, or leave %1 out")
                                       .arg(key, value.isString() ? QStringLiteral("empty")
                                                                  : QStringLiteral("not a path")));
  }
  return value.toString();
}

// The copy's name: the original's, unless another input of the same job already took it.
QString copy_name(const QString& key, const QFileInfo& source, const QStringList& taken_names) {
  const QString name = source.fileName();
  return taken_names.contains(name) ? key + QLatin1Char('-') + name : name;
}

}  // namespace

QStringList job_input_keys() {
  // "actions": forward dynamics' actions file, which the job's generation.json seals by digest.
  return {QStringLiteral("vision_path"), QStringLiteral("video_path"), QStringLiteral("actions")};
}

void check_job_inputs_readable(const QJsonObject& request) {
  for (const QString& key : job_input_keys()) {
    if (!request.contains(key)) {
      continue;
    }
    const QString path = input_path(request, key);
    const QFileInfo source(path);
    if (!source.exists()) {
      throw JobStoreError(path, QStringLiteral("the %1 file %2 does not exist: choose an existing "
                                               "file, or check that its disk is mounted")
                                    .arg(key, path));
    }
    if (!source.isFile()) {
      throw JobStoreError(path, QStringLiteral("the %1 %2 is not a file: choose the image or "
                                               "video file itself")
                                    .arg(key, path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
      throw JobStoreError(path, QStringLiteral("the %1 file %2 cannot be read (%3): give yourself "
                                               "read permission on it, or choose another file")
                                    .arg(key, path, file.errorString()));
    }
  }
}

StagedJobInputs stage_job_inputs(const QJsonObject& request, const QString& staging_root) {
  check_job_inputs_readable(request);
  StagedJobInputs staged{
      request, QDir(staging_root).filePath(QUuid::createUuid().toString(QUuid::WithoutBraces)), {}};
  const QString inputs_dir = QDir(staged.folder).filePath(QStringLiteral("inputs"));
  if (!QDir().mkpath(inputs_dir)) {
    throw JobStoreError(inputs_dir,
                        QStringLiteral("cannot create the folder %1 for the job's input "
                                       "copies: make the queue's folder writable")
                            .arg(inputs_dir));
  }
  for (const QString& key : job_input_keys()) {
    if (!request.contains(key)) {
      continue;
    }
    const QFileInfo source(input_path(request, key));
    const QString name = copy_name(key, source, staged.copied_names.values());
    QFile source_file(source.absoluteFilePath());
    if (!source_file.copy(QDir(inputs_dir).filePath(name))) {
      const QString problem = source_file.errorString();
      QDir(staged.folder).removeRecursively();
      throw JobStoreError(source.absoluteFilePath(),
                          QStringLiteral("cannot copy the %1 file %2 into %3 (%4): check that it "
                                         "is still readable and that the disk has room for a copy")
                              .arg(key, source.absoluteFilePath(), inputs_dir, problem));
    }
    staged.copied_names.insert(key, name);
  }
  return staged;
}

QJsonObject request_using_copies(const StagedJobInputs& staged, const QString& job_dir) {
  QJsonObject request = staged.request;
  const QDir inputs(QDir(job_dir).filePath(QStringLiteral("inputs")));
  for (auto copy = staged.copied_names.begin(); copy != staged.copied_names.end(); ++copy) {
    request.insert(copy.key(), inputs.filePath(copy.value()));
  }
  return request;
}

}  // namespace cosmos3::ui
