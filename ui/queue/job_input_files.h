#pragma once
// A job's input files (the image of image-to-video, the video of video-to-video), copied into
// the job's own folder when it is queued so that moving or deleting the originals while the job
// waits cannot break it.

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cosmos3::ui {

// The request keys that name input files.
QStringList job_input_keys();

// Throws JobStoreError naming the first input file of `request` that is missing, not a file or
// not readable, so that nothing is stored for a job that could never run.
void check_job_inputs_readable(const QJsonObject& request);

// Copies every input file of `request` into `inputs_dir` (created if needed) and returns the
// request with those keys pointing at the copies. Throws JobStoreError when a copy fails.
QJsonObject copy_job_inputs(const QJsonObject& request, const QString& inputs_dir);

}  // namespace cosmos3::ui
