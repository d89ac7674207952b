#pragma once
// Runs the model download library (core/hub) on a worker thread for the studio: plan, download,
// pause (the library keeps what it has; download again resumes) and verify. Every result comes
// back as a signal, delivered on the UI thread by Qt's queued connections; one operation at a
// time.

#include "core/hub/model_downloader.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <atomic>
#include <functional>

class QThread;

namespace cosmos3::ui {

class ModelDownloadJob : public QObject {
  Q_OBJECT

 public:
  explicit ModelDownloadJob(QObject* parent = nullptr);
  // Asks a running operation to stop and waits for it, so no worker outlives the job.
  ~ModelDownloadJob() override;

  bool isRunning() const { return thread_ != nullptr; }

  // Lists the repository and measures the folder: planned or failed.
  void plan(const hub::DownloadOptions& options);
  // plan, then the download: planned, progressed..., then finished, paused or failed.
  void download(const hub::DownloadOptions& options);
  // Stops a download at the next chunk; the folder keeps its files and partial.
  void pause();
  // Re-hashes a complete folder: verified.
  void verify(const QString& folder);

 Q_SIGNALS:
  void runningChanged(bool running);
  void planned(const QString& folder, const QStringList& paths, const QList<qint64>& sizes,
               const QList<qint64>& num_bytes_present, qint64 num_bytes, qint64 num_bytes_to_fetch,
               qint64 num_bytes_free, bool complete);
  void progressed(int file_index, qint64 num_file_bytes_done, const QString& stage,
                  qint64 num_bytes_done, qint64 num_bytes);
  void finished(const QString& folder);
  void paused();
  void failed(const QString& message);
  void verified(const QString& folder, const QStringList& problems);

 private:
  void runInWorker(std::function<void()> work);
  hub::DownloadPlan planAndReport(hub::ModelDownloader& downloader);

  QThread* thread_ = nullptr;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace cosmos3::ui
