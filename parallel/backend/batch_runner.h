#pragma once
// cosmos3-batch's work: many jobs from a JSON-lines file through one resident group, one after
// another, skipping jobs whose outputs are already complete (so a rerun resumes), with a
// progress callback and a summary row per job. Torch-free: it only talks to the group.

#include "parallel/backend/backend_group.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::backend {

struct BatchJob {
  int line_number = 0;
  std::string job_id;
  nlohmann::json job;   // with its output_dir filled in
  std::string problem;  // set when the line cannot become a job
};

struct BatchResult {
  std::string job_id;
  std::string status;  // "finished", "skipped", "failed", "canceled", "invalid"
  double seconds = 0;
  std::string detail;  // output file, or the failure's class and message
};

// Reads `jobs_file`: one job object per line (blank lines and lines starting with '#' are
// skipped). A job without output_dir gets `default_output_dir`/job-LINE (or its "name").
// Malformed lines become jobs with a problem, so none is silently lost.
std::vector<BatchJob> read_batch_jobs(const std::filesystem::path& jobs_file,
                                      const std::filesystem::path& default_output_dir);

// True when the job's output folder holds a complete result (generation.json, written last).
bool batch_job_done(const BatchJob& job);

// Owns a group for the batch and runs jobs on it in order, waiting for each one's end.
class BatchRunner {
 public:
  // `on_event` sees every event of the group (on the supervisor's thread), for progress.
  BatchRunner(GroupConfig config, std::function<void(const nlohmann::json&)> on_event);
  ~BatchRunner();

  // Starts the group and waits until it is ready; throws BackendError when it cannot start.
  void start();
  // Runs `jobs`; `stop` ends the batch after canceling the running job (the rest are reported
  // as not run).
  std::vector<BatchResult> run(const std::vector<BatchJob>& jobs, const std::atomic<bool>& stop);

 private:
  struct Inbox;
  std::optional<nlohmann::json> wait_event(const std::atomic<bool>& stop,
                                           const std::function<bool(const nlohmann::json&)>& match);

  std::unique_ptr<Inbox> inbox_;
  std::function<void(const nlohmann::json&)> on_event_;
  std::unique_ptr<BackendGroup> group_;
};

}  // namespace cosmos3::backend
