#include "ui/models/model_download_job.h"

#include "core/hub/hub_errors.h"

#include <QtCore/QThread>

namespace cosmos3::ui {
namespace {

QString stage_text(hub::DownloadProgress::Stage stage) {
  switch (stage) {
    case hub::DownloadProgress::Stage::kDownloading:
      return ModelDownloadJob::tr("downloading");
    case hub::DownloadProgress::Stage::kVerifying:
      return ModelDownloadJob::tr("checking");
    case hub::DownloadProgress::Stage::kFileDone:
      return ModelDownloadJob::tr("done");
  }
  return {};
}

}  // namespace

ModelDownloadJob::ModelDownloadJob(QObject* parent) : QObject(parent) {}

ModelDownloadJob::~ModelDownloadJob() {
  if (thread_ != nullptr) {
    stop_requested_ = true;
    thread_->wait();
  }
}

void ModelDownloadJob::runInWorker(std::function<void()> work) {
  if (thread_ != nullptr) {
    return;  // one operation at a time; the page disables its buttons meanwhile
  }
  stop_requested_ = false;
  thread_ = QThread::create([this, work = std::move(work)] {
    try {
      work();
    } catch (const hub::DownloadCanceled&) {
      Q_EMIT paused();
    } catch (const UserError& error) {
      Q_EMIT failed(QString::fromStdString(error.what()));
    } catch (const std::exception& error) {
      Q_EMIT failed(tr("the download stopped unexpectedly: %1").arg(error.what()));
    }
  });
  connect(thread_, &QThread::finished, this, [this] {
    thread_->deleteLater();
    thread_ = nullptr;
    Q_EMIT runningChanged(false);
  });
  Q_EMIT runningChanged(true);
  thread_->start();
}

hub::DownloadPlan ModelDownloadJob::planAndReport(hub::ModelDownloader& downloader) {
  const hub::DownloadPlan plan = downloader.plan(&stop_requested_);
  QStringList paths;
  QList<qint64> sizes;
  QList<qint64> present;
  for (size_t index = 0; index < plan.files.size(); ++index) {
    paths << QString::fromStdString(plan.files[index].path);
    sizes << static_cast<qint64>(plan.files[index].size);
    present << static_cast<qint64>(plan.num_file_bytes_present[index]);
  }
  Q_EMIT planned(QString::fromStdString(downloader.options().folder.string()), paths, sizes,
                 present, static_cast<qint64>(plan.num_bytes),
                 static_cast<qint64>(plan.num_bytes_to_fetch()),
                 static_cast<qint64>(plan.num_bytes_free), plan.complete);
  return plan;
}

void ModelDownloadJob::plan(const hub::DownloadOptions& options) {
  runInWorker([this, options] {
    hub::ModelDownloader downloader(options);
    planAndReport(downloader);
  });
}

void ModelDownloadJob::download(const hub::DownloadOptions& options) {
  runInWorker([this, options] {
    hub::ModelDownloader downloader(options);
    const hub::DownloadPlan plan = planAndReport(downloader);
    downloader.download(
        plan,
        [this](const hub::DownloadProgress& progress) {
          Q_EMIT progressed(static_cast<int>(progress.file_index),
                            static_cast<qint64>(progress.num_file_bytes_done),
                            stage_text(progress.stage),
                            static_cast<qint64>(progress.num_bytes_done),
                            static_cast<qint64>(progress.num_bytes));
        },
        &stop_requested_);
    Q_EMIT finished(QString::fromStdString(downloader.options().folder.string()));
  });
}

void ModelDownloadJob::pause() { stop_requested_ = true; }

void ModelDownloadJob::verify(const QString& folder) {
  runInWorker([this, folder] {
    QStringList problems;
    for (const std::string& problem :
         hub::verify_model_folder(folder.toStdString(), {}, &stop_requested_)) {
      problems << QString::fromStdString(problem);
    }
    Q_EMIT verified(folder, problems);
  });
}

}  // namespace cosmos3::ui
