#pragma once
// What the backend suites share: the event log of a group (events arrive on the supervisor's
// thread), a tiny checkpoint made by the real tool, and latents read back from a job's file.

#include "parallel/backend/backend_group.h"

#include <QProcess>

#include <signal.h>
#include <sys/prctl.h>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace cosmos3::test {

class EventLog {
 public:
  backend::BackendGroup::EventHandler handler() {
    return [this](const nlohmann::json& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
      changed_.notify_all();
    };
  }

  // The first event from index `from` on that matches, waiting up to `timeout`.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& match,
                                         std::chrono::seconds timeout, size_t from = 0) {
    std::unique_lock lock(mutex_);
    std::optional<nlohmann::json> found;
    changed_.wait_for(lock, timeout, [&] {
      for (size_t index = from; index < events_.size(); ++index) {
        if (match(events_[index])) {
          found = events_[index];
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::optional<nlohmann::json> wait_for_type(const std::string& type, const std::string& job_id,
                                              std::chrono::seconds timeout) {
    return wait_for(
        [&](const nlohmann::json& event) {
          return event.value("type", "") == type &&
                 (job_id.empty() || event.value("job_id", "") == job_id);
        },
        timeout);
  }

  // A terminal event (finished, failed, canceled) of `job_id`.
  std::optional<nlohmann::json> wait_for_end(const std::string& job_id,
                                             std::chrono::seconds timeout) {
    return wait_for(
        [&](const nlohmann::json& event) {
          const std::string type = event.value("type", "");
          return event.value("job_id", "") == job_id &&
                 (type == "finished" || type == "failed" || type == "canceled");
        },
        timeout);
  }

  std::vector<nlohmann::json> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  size_t count(const std::function<bool(const nlohmann::json&)>& match) const {
    std::lock_guard lock(mutex_);
    size_t num_matching = 0;
    for (const auto& event : events_) num_matching += match(event) ? 1 : 0;
    return num_matching;
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> events_;
};

// A worker started by a test dies with the test: a test that crashes must not leave a worker
// holding CTest's output pipe open until the timeout.
inline void die_with_parent(QProcess& process) {
  process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

// Runs a program to completion; fails the test on a non-zero exit.
inline QByteArray run_program(const QString& program, const QStringList& arguments,
                              int timeout_ms = 300000) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(program, arguments);
  if (!process.waitForFinished(timeout_ms)) {
    qWarning("%s timed out", qPrintable(program));
    return {};
  }
  const QByteArray output = process.readAll();
  if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
    qWarning("%s %s failed:\n%s", qPrintable(program), qPrintable(arguments.join(' ')),
             output.constData());
  }
  return output;
}

}  // namespace cosmos3::test
