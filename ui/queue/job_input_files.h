#pragma once
// A job's input files (the image of image-to-video, the video of video-to-video, the actions of
// forward dynamics), copied into the job's own folder when it is queued so that moving or
// deleting the originals while the job waits cannot break it. Copying a large video takes a while,
// so it happens in two steps: the copies are staged (on any thread, no database), then the store
// moves the staged folder into place inside the transaction that stores the job.

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cosmos3::ui {

struct StagedJobInputs {
  // The request as given, still naming the originals.
  QJsonObject request;
  // A fresh folder holding inputs/<name> for each input file (or nothing, for text jobs).
  QString folder;
  // The request key of each copy -> its file name under inputs/.
  QHash<QString, QString> copied_names;
};

// The request keys that name input files.
QStringList job_input_keys();

// Throws JobStoreError naming the first input file of `request` that is missing, not a file or
// not readable, so that nothing is stored for a job that could never run.
void check_job_inputs_readable(const QJsonObject& request);

// Checks the inputs, then copies them into a new folder under `staging_root`. Safe on any
// thread. Throws JobStoreError naming the file, leaving no folder behind.
StagedJobInputs stage_job_inputs(const QJsonObject& request, const QString& staging_root);

// `staged.request` with its input keys pointing at the copies once the staged folder has
// become `job_dir`.
QJsonObject request_using_copies(const StagedJobInputs& staged, const QString& job_dir);

}  // namespace cosmos3::ui
