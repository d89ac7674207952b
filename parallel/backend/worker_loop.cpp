#include "parallel/backend/worker_loop.h"

#include "core/pipeline/generation_request.h"
#include "parallel/backend/client_link.h"
#include "parallel/backend/job_failure.h"
#include "parallel/backend/job_request.h"
#include "parallel/backend/protocol.h"
#include "parallel/backend/validated_frames.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/rank_environment.h"
#include "parallel/engine/rank_agreement.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <random>

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Idle ranks wait in a broadcast; rank 0 sends a heartbeat this often so that the wait never
// reaches the transport's timeout.
constexpr std::chrono::milliseconds kHeartbeat{1000};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

json group_description(const WorkerOptions& options, int num_ranks) {
  const parallel::ParallelDegrees& degrees = options.engine.degrees;
  return {{"model", options.engine.model_dir.string()},
          {"device", options.engine.device.str()},
          {"dtype", options.engine.dtype == c10::kBFloat16 ? "bfloat16" : "float32"},
          {"layout", {{"cfg", degrees.cfg}, {"tp", degrees.tp}, {"cp", degrees.cp}}},
          {"num_ranks", num_ranks},
          {"pid", ::getpid()}};
}

// A job as the rank loop relays it: checked as cosmos3-generate checks its flags, with a
// concrete seed so that every rank draws the same noise and the client can record it. The
// input files the check decoded are kept for the run.
json validated_job(const json& job, const EngineSettings& settings,
                   const pipeline::PipelineFolder& folder, ValidatedFrames& frames) {
  app::GenerateOptions options = job_options(job, settings);
  preview_interval_of(job);
  // A transfer job's request is checked with its control videos, below.
  if (!options.transfer.active()) pipeline::resolve_request(options.request, folder);
  JobInputs decoded = read_job_inputs(options, folder);
  json normalized = job;
  if (!options.seed_given) normalized["seed"] = std::random_device{}();
  frames.keep(normalized, std::move(decoded));
  return normalized;
}

class JobReporter {
 public:
  JobReporter(ClientLink* link, std::string job_id) : link_(link), job_id_(std::move(job_id)) {}

  void phase(const std::string& name) {
    phase_ = name;
    if (name == "denoising") denoise_start_ = Clock::now();
    send({{"type", "phase"}, {"phase", name}});
  }
  void step(int64_t step, int64_t num_steps) {
    const double seconds_per_step = seconds_since(denoise_start_) / static_cast<double>(step);
    send({{"type", "step"},
          {"step", step},
          {"num_steps", num_steps},
          {"seconds_per_step", seconds_per_step},
          {"elapsed_seconds", seconds_since(job_start_)},
          {"eta_seconds", seconds_per_step * static_cast<double>(num_steps - step)}});
  }
  void preview(int64_t step, const std::filesystem::path& image) {
    send({{"type", "preview"}, {"step", step}, {"path", image.string()}});
  }
  void send(json event) {
    if (link_ == nullptr) return;
    event["job_id"] = job_id_;
    link_->send_event(event);
  }
  const std::string& current_phase() const { return phase_; }
  bool cancel_requested() const { return link_ != nullptr && link_->cancel_requested(job_id_); }

 private:
  ClientLink* link_;
  std::string job_id_;
  std::string phase_ = "starting";
  Clock::time_point job_start_ = Clock::now();
  Clock::time_point denoise_start_ = Clock::now();
};

// Runs one job on this rank. Returns false when the rank must exit (a failure mid-collective).
bool run_job(GenerationEngine& engine, const WorkerOptions& options, ClientLink* link,
             const std::string& job_id, const json& job, int rank, int num_ranks,
             ValidatedFrames& validated_frames) {
  JobReporter reporter(link, job_id);
  app::GenerateOptions job_settings;
  try {
    job_settings = job_options(job, options.engine);
    JobHooks hooks;
    hooks.on_phase = [&](const std::string& phase) { reporter.phase(phase); };
    hooks.on_step = [&](int64_t step, int64_t num_steps) { reporter.step(step, num_steps); };
    hooks.cancel_requested = [&] { return reporter.cancel_requested(); };
    hooks.preview_interval = preview_interval_of(job);
    hooks.preview_dir = options.preview_dir / job_id;
    if (hooks.preview_interval > 0 && link != nullptr) {
      std::filesystem::create_directories(hooks.preview_dir);
    }
    hooks.on_preview = [&](int64_t step, const std::filesystem::path& image) {
      reporter.preview(step, image);
    };
    const JobOutcome outcome = engine.run(job_settings, hooks, validated_frames.take(job));
    if (outcome.canceled) {
      reporter.send({{"type", "canceled"}, {"num_steps_done", outcome.num_steps_done}});
      return true;
    }
    std::vector<std::string> outputs;
    for (const auto& path : outcome.outputs) outputs.push_back(path.string());
    reporter.send({{"type", "finished"},
                   {"outputs", outputs},
                   {"seconds", outcome.seconds},
                   {"peak_memory_bytes", outcome.peak_memory_bytes},
                   {"seed", job_settings.request.seed},
                   {"num_steps_done", outcome.num_steps_done}});
    return true;
  } catch (...) {
    const FailureContext context{reporter.current_phase(), &job_settings, options.engine.degrees,
                                 rank};
    const JobFailure failure = classify_current_exception(context);
    // Past the denoising only the writing rank works (unless the decode is split across the
    // ranks), so it can fail the job alone and go on; before that, the other ranks may be
    // waiting in a collective this rank will never join, unless all of them gave up on the job
    // together.
    bool abandoned = false;
    try {
      throw;
    } catch (const JobAbandoned&) {
      abandoned = true;
    } catch (...) {
    }
    const bool alone = num_ranks == 1 || abandoned ||
                       (reporter.current_phase() == "decoding" && !engine.decoding_split()) ||
                       reporter.current_phase() == "writing";
    std::cerr << "job " << job_id << " failed: " << failure.message << std::endl;
    if (failure.failure_class != failure_class::kRankDied) {
      json event = failure.to_json();
      event["type"] = "failed";
      event["rank"] = rank;
      reporter.send(event);
    }
    if (alone) return true;
    log_failure_record(failure, rank);
    return false;
  }
}

}  // namespace

int run_worker(const WorkerOptions& options) {
  const bool launched = parallel::RankEnvironment::is_launched();
  const parallel::RankEnvironment environment = launched
                                                    ? parallel::RankEnvironment::from_environment()
                                                    : parallel::RankEnvironment::single_process();
  const int rank = environment.rank;
  // Rank 0's only (the other ranks decode their own); declared first, so it outlives the link's
  // thread that fills it.
  ValidatedFrames validated_frames;
  std::unique_ptr<ClientLink> link;
  std::unique_ptr<GenerationEngine> engine;
  if (rank == 0) {
    // Claim the socket before loading, so a second group on the same path fails at once.
    const pipeline::PipelineFolder folder =
        pipeline::read_pipeline_folder(options.engine.model_dir);
    link = std::make_unique<ClientLink>(
        listen_unix_socket(options.socket_path), group_description(options, environment.world_size),
        [&options, folder, &validated_frames](const json& job) {
          return validated_job(job, options.engine, folder, validated_frames);
        });
  }
  try {
    engine = std::make_unique<GenerationEngine>(
        options.engine, [&](const std::string& component, int64_t read, int64_t total) {
          if (link) {
            const json progress = {
                {"component", component}, {"bytes_read", read}, {"bytes_total", total}};
            link->set_state("loading", progress);
            json event = progress;
            event["type"] = "loading";
            link->send_event(event);
          }
        });
  } catch (...) {
    const FailureContext context{"loading", nullptr, options.engine.degrees, rank};
    const JobFailure failure = classify_current_exception(context);
    log_failure_record(failure, rank);
    if (link) {
      json event = failure.to_json();
      event["type"] = "group_failed";
      link->set_state("failed", event);
      link->send_event(event);
    }
    return kRankFailedExit;
  }
  std::cerr << "loaded in " << engine->load_seconds() << " s as " << engine->describe() << '\n';
  if (link) {
    link->set_state("ready", {{"load_seconds", engine->load_seconds()}});
    link->send_event({{"type", "ready"}, {"load_seconds", engine->load_seconds()}});
  }
  parallel::World* world = engine->session().world.get();
  while (true) {
    std::string command_text;
    if (link) {
      const ClientLink::Command command = link->wait_command(kHeartbeat);
      command_text =
          command.kind == ClientLink::CommandKind::kIdle ? json{{"kind", "idle"}}.dump()
          : command.kind == ClientLink::CommandKind::kShutdown
              ? json{{"kind", "shutdown"}}.dump()
              : json{{"kind", "job"}, {"job_id", command.job_id}, {"job", command.job}}.dump();
    }
    if (world != nullptr) command_text = parallel::agree_on_text(*world, command_text);
    const json command = json::parse(command_text);
    const std::string kind = command["kind"];
    if (kind == "idle") continue;
    if (kind == "shutdown") break;
    if (!run_job(*engine, options, link.get(), command["job_id"], command["job"], rank,
                 environment.world_size, validated_frames)) {
      return kRankFailedExit;
    }
    if (link) link->set_state("ready", {{"load_seconds", engine->load_seconds()}});
  }
  std::cerr << "shut down by the client\n";
  return 0;
}

}  // namespace cosmos3::backend
