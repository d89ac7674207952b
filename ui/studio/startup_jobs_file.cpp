#include "ui/studio/startup_jobs_file.h"

#include "ui/queue/job_queue_model.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <stdexcept>

namespace cosmos3::ui {

int enqueue_jobs_from_file(JobQueueModel& model, const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    throw std::runtime_error("cannot read the jobs file " + path.toStdString() + ": " +
                             file.errorString().toStdString());
  }
  int num_jobs = 0;
  int line_number = 0;
  while (!file.atEnd()) {
    const QByteArray line = file.readLine().trimmed();
    ++line_number;
    if (line.isEmpty() || line.startsWith('#')) continue;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (!document.isObject()) {
      throw std::runtime_error(path.toStdString() + ":" + std::to_string(line_number) +
                               ": not a JSON object (" + error.errorString().toStdString() +
                               "); write one job object per line");
    }
    model.enqueue(document.object(), QueueEnd::Back);
    ++num_jobs;
  }
  return num_jobs;
}

}  // namespace cosmos3::ui
