// cosmos3-batch: many generation jobs from a JSON-lines file through one resident backend
// group, with a progress line on a terminal and a summary table; a rerun skips the jobs whose
// outputs are complete. See parallel/backend/PROTOCOL.md for the job fields.

#include "core/cli/command_line.h"
#include "core/cli/typed_values.h"
#include "parallel/backend/batch_runner.h"
#include "parallel/backend/worker_program.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>

using namespace cosmos3;

namespace {

std::atomic<bool> g_stop{false};

extern "C" void request_stop(int) { g_stop = true; }

struct BatchOptions {
  backend::GroupConfig group;
  std::filesystem::path jobs_file;
  std::filesystem::path output_dir = "outputs/batch";
};

// One line per event when stderr is a file; one rewritten line on a terminal.
class ProgressPrinter {
 public:
  void operator()(const nlohmann::json& event) {
    std::lock_guard lock(mutex_);
    const std::string type = event.value("type", "");
    std::string line;
    if (type == "loading") {
      line = "loading " + event.value("component", "") + " (" +
             std::to_string(event.value("bytes_read", 0L) >> 20) + "/" +
             std::to_string(event.value("bytes_total", 0L) >> 20) + " MiB)";
    } else if (type == "ready") {
      std::ostringstream text;
      text << "ready: model loaded in " << std::fixed << std::setprecision(1)
           << event.value("load_seconds", 0.0) << " s";
      line = text.str();
    } else if (type == "group") {
      line = "group " + event.value("state", "") +
             (event.contains("message") ? ": " + event["message"].get<std::string>() : "");
    } else if (type == "phase") {
      line = event.value("job_id", "") + ": " + event.value("phase", "");
    } else if (type == "step") {
      std::ostringstream text;
      text << event.value("job_id", "") << ": step " << event.value("step", 0) << '/'
           << event.value("num_steps", 0) << std::fixed << std::setprecision(2) << ", "
           << event.value("seconds_per_step", 0.0) << " s/step, elapsed "
           << event.value("elapsed_seconds", 0.0) << " s, ETA " << std::setprecision(0)
           << event.value("eta_seconds", 0.0) << " s";
      line = text.str();
    } else if (type == "finished" || type == "failed" || type == "canceled" || type == "refused") {
      line = event.value("job_id", "") + ": " + type +
             (event.contains("message") ? " (" + event["message"].get<std::string>() + ")" : "");
    } else {
      return;
    }
    if (terminal_) {
      std::cerr << "\r\033[K" << line << std::flush;
      if (type != "step" && type != "loading") std::cerr << '\n';
    } else {
      std::cerr << line << '\n';
    }
  }

 private:
  std::mutex mutex_;
  bool terminal_ = ::isatty(STDERR_FILENO) != 0;
};

void print_summary(const std::vector<backend::BatchResult>& results) {
  std::cout << "\n| job | status | seconds | output or reason |\n|---|---|---|---|\n";
  for (const backend::BatchResult& result : results) {
    std::cout << "| " << result.job_id << " | " << result.status << " | " << std::fixed
              << std::setprecision(1) << result.seconds << " | " << result.detail << " |\n";
  }
}

cli::Command batch_command(BatchOptions& options) {
  cli::Command command("cosmos3-batch",
                       "runs the jobs of a JSON-lines file through one resident backend group");
  command
      .add_flag({"--model", "DIR", "pipeline folder (model_index.json, transformer/, ...)",
                 [&](auto, auto value) { options.group.model_dir = std::string(value); }, true})
      .add_flag({"--output-dir", "DIR",
                 "where jobs without an output_dir go, one folder per job "
                 "(default outputs/batch)",
                 [&](auto, auto value) { options.output_dir = std::string(value); }})
      .add_flag({"--device", "D", "cpu or cuda: one GPU per rank (default cpu)",
                 [&](auto flag, auto value) {
                   options.group.device =
                       cli::to_enum<std::string>(flag, value, {{"cpu", "cpu"}, {"cuda", "cuda"}});
                 }})
      .add_flag({"--dtype", "T", "float32 or bfloat16 (default float32)",
                 [&](auto flag, auto value) {
                   options.group.dtype = cli::to_enum<std::string>(
                       flag, value, {{"float32", "float32"}, {"bfloat16", "bfloat16"}});
                 }})
      .add_flag(
          {"--cfg-parallel", "N", "1, 2, or 3 for transfer's three passes (default 1)",
           [&](auto flag, auto value) { options.group.cfg = cli::to_integer<int>(flag, value); }})
      .add_flag(
          {"--tp", "N", "tensor-parallel degree (default 1)",
           [&](auto flag, auto value) { options.group.tp = cli::to_integer<int>(flag, value); }})
      .add_flag(
          {"--cp", "N", "context-parallel degree (default 1)",
           [&](auto flag, auto value) { options.group.cp = cli::to_integer<int>(flag, value); }})
      .add_positional({"JOBS.jsonl",
                       "one job object per line, with the fields of the protocol's submit "
                       "(parallel/backend/PROTOCOL.md) and an optional \"name\"",
                       [&](auto value) { options.jobs_file = std::string(value); }})
      .set_notes(
          "A job whose output folder already holds generation.json is skipped, so rerunning\n"
          "the same file resumes it. Ctrl-C cancels the running job and ends the batch.\n"
          "Exit status: 0 when every job finished or was skipped, 1 otherwise.");
  return command;
}

int run(BatchOptions& options) {
  if (options.group.cfg < 1 || options.group.tp < 1 || options.group.cp < 1) {
    throw cli::UsageError("--cfg-parallel, --tp and --cp take a number of ranks >= 1");
  }
  options.group.worker_program = backend::find_worker_program();
  const std::vector<backend::BatchJob> jobs =
      backend::read_batch_jobs(options.jobs_file, options.output_dir);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  ProgressPrinter printer;
  backend::BatchRunner runner(options.group, [&](const nlohmann::json& event) { printer(event); });
  runner.start();
  const std::vector<backend::BatchResult> results = runner.run(jobs, g_stop);
  print_summary(results);
  for (const backend::BatchResult& result : results) {
    if (result.status != "finished" && result.status != "skipped") return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BatchOptions options;
  cli::Command command = batch_command(options);
  command.set_action([&] { return run(options); });
  try {
    return cli::run_main(command, argc, argv, std::cout, std::cerr);
  } catch (const UserError& error) {
    std::cerr << "cosmos3-batch: " << error.what() << '\n';
    return 1;
  }
}
