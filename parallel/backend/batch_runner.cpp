#include "parallel/backend/batch_runner.h"

#include "parallel/backend/line_socket.h"

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

bool is_end_of(const json& event, const std::string& job_id) {
  const std::string type = event.value("type", "");
  return event.value("job_id", "") == job_id &&
         (type == "finished" || type == "failed" || type == "canceled" || type == "refused");
}

}  // namespace

std::vector<BatchJob> read_batch_jobs(const std::filesystem::path& jobs_file,
                                      const std::filesystem::path& default_output_dir) {
  std::ifstream input(jobs_file);
  if (!input) throw BackendError("cannot read the jobs file " + jobs_file.string());
  std::vector<BatchJob> jobs;
  int line_number = 0;
  for (std::string line; std::getline(input, line);) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line.front() == '#') continue;
    BatchJob job;
    job.line_number = line_number;
    job.job_id = "line-" + std::to_string(line_number);
    job.job = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (job.job.is_discarded() || !job.job.is_object()) {
      job.problem = "line " + std::to_string(line_number) + " is not a JSON object";
      job.job = json::object();
    } else {
      if (job.job.contains("name") && job.job["name"].is_string()) {
        job.job_id = job.job["name"].get<std::string>();
        job.job.erase("name");
      }
      if (!job.job.contains("output_dir")) {
        job.job["output_dir"] = (default_output_dir / job.job_id).string();
      }
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

bool batch_job_done(const BatchJob& job) {
  const auto output_dir = job.job.find("output_dir");
  return output_dir != job.job.end() && output_dir->is_string() &&
         std::filesystem::exists(std::filesystem::path(output_dir->get<std::string>()) /
                                 "generation.json");
}

// Events arrive on the supervisor's thread; the batch waits for them here.
struct BatchRunner::Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<json> events;
};

BatchRunner::BatchRunner(GroupConfig config, std::function<void(const json&)> on_event)
    : inbox_(std::make_unique<Inbox>()), on_event_(std::move(on_event)) {
  group_ = std::make_unique<BackendGroup>(std::move(config), [this](const json& event) {
    if (on_event_) on_event_(event);
    std::lock_guard lock(inbox_->mutex);
    inbox_->events.push_back(event);
    inbox_->changed.notify_all();
  });
}

BatchRunner::~BatchRunner() { group_.reset(); }

std::optional<json> BatchRunner::wait_event(const std::atomic<bool>& stop,
                                            const std::function<bool(const json&)>& match) {
  std::unique_lock lock(inbox_->mutex);
  while (true) {
    for (auto event = inbox_->events.begin(); event != inbox_->events.end(); ++event) {
      if (match(*event)) {
        json found = *event;
        inbox_->events.erase(inbox_->events.begin(), event + 1);
        return found;
      }
    }
    inbox_->events.clear();
    if (stop) return std::nullopt;
    inbox_->changed.wait_for(lock, std::chrono::milliseconds(200));
  }
}

void BatchRunner::start() {
  group_->start();
  static const std::atomic<bool> never{false};
  const auto state = wait_event(never, [](const json& event) {
    const std::string type = event.value("type", "");
    return type == "ready" || type == "group_failed" ||
           (type == "group" && event.value("state", "") == "failed");
  });
  if (!state || state->value("type", "") != "ready") {
    throw BackendError("the backend group could not start: " +
                       (state ? state->value("message", state->dump()) : std::string("stopped")) +
                       "; rank logs are in " + group_->log_dir().string());
  }
}

std::vector<BatchResult> BatchRunner::run(const std::vector<BatchJob>& jobs,
                                          const std::atomic<bool>& stop) {
  std::vector<BatchResult> results;
  for (const BatchJob& job : jobs) {
    BatchResult result{job.job_id, "", 0, ""};
    if (!job.problem.empty()) {
      result.status = "invalid";
      result.detail = job.problem;
    } else if (batch_job_done(job)) {
      result.status = "skipped";
      result.detail = "already done in " + job.job["output_dir"].get<std::string>();
    } else if (stop) {
      result.status = "not run";
    } else {
      const auto start = Clock::now();
      group_->submit(job.job_id, job.job);
      bool cancel_sent = false;
      std::optional<json> end;
      while (!end) {
        end = wait_event(stop, [&](const json& event) { return is_end_of(event, job.job_id); });
        if (!end && stop && !cancel_sent) {
          group_->cancel(job.job_id);
          cancel_sent = true;
          static const std::atomic<bool> never{false};
          end = wait_event(never, [&](const json& event) { return is_end_of(event, job.job_id); });
        }
      }
      result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      const std::string type = (*end)["type"];
      result.status = type == "refused" ? "invalid" : type;
      if (type == "finished") {
        for (const json& output : (*end)["outputs"]) {
          const std::string path = output.get<std::string>();
          if (path.ends_with(".mp4") || path.ends_with(".jpg")) result.detail = path;
        }
        if (result.detail.empty() && !(*end)["outputs"].empty()) {
          result.detail = (*end)["outputs"].back().get<std::string>();
        }
      } else if (type == "failed") {
        result.detail = (*end).value("class", "") + ": " + (*end).value("message", "");
      } else {
        result.detail = (*end).value("message", "");
      }
    }
    results.push_back(result);
  }
  return results;
}

}  // namespace cosmos3::backend
