#pragma once
// One job of the studio's queue as a plain value: what the store persists, plus the live
// progress the model keeps in memory only (a row write per denoising step would be wasteful
// and would buy nothing after a crash, where the job comes back interrupted anyway).

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace cosmos3::ui {

enum class JobState { Pending, Running, Done, Failed, Canceled, Interrupted };

// The names stored in the database and shown to integrations: "pending", "running", ...
QString to_string(JobState state);
// The state named `name`, or nothing for a name no build ever wrote.
std::optional<JobState> job_state_from_string(const QString& name);

// Steps done of a job's denoising loop and how long one step took, as the worker reports them.
struct JobProgress {
  int num_steps_done = 0;
  int num_steps = 0;
  double seconds_per_step = 0.0;

  bool has_step_time() const { return seconds_per_step > 0.0 && num_steps > 0; }
};

struct QueuedJob {
  qint64 id = 0;
  JobState state = JobState::Pending;
  // The backend protocol's job object; its vision_path / video_path point at the copies in
  // job_dir/inputs/ once stored.
  QJsonObject request;
  QString job_dir;
  // What the backend reported: output paths, seconds per phase, and so on.
  QJsonObject result;
  QString failure_class;
  QString failure_message;
  QString failure_suggestion;
  QDateTime created;
  QDateTime started;
  QDateTime finished;
  JobProgress progress;
};

}  // namespace cosmos3::ui
