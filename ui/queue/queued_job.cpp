#include "ui/queue/queued_job.h"

#include <array>
#include <utility>

namespace cosmos3::ui {
namespace {

constexpr std::array<std::pair<JobState, const char*>, 6> kStateNames{{
    {JobState::Pending, "pending"},
    {JobState::Running, "running"},
    {JobState::Done, "done"},
    {JobState::Failed, "failed"},
    {JobState::Canceled, "canceled"},
    {JobState::Interrupted, "interrupted"},
}};

}  // namespace

QString to_string(JobState state) {
  for (const auto& [known_state, name] : kStateNames) {
    if (known_state == state) {
      return QString::fromLatin1(name);
    }
  }
  Q_UNREACHABLE();
}

std::optional<JobState> job_state_from_string(const QString& name) {
  for (const auto& [state, known_name] : kStateNames) {
    if (name == QLatin1String(known_name)) {
      return state;
    }
  }
  return std::nullopt;
}

}  // namespace cosmos3::ui
