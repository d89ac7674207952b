#include "parallel/backend/backend_group.h"

#include "parallel/backend/line_socket.h"
#include "parallel/backend/protocol.h"
#include "parallel/comm/rank_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

extern char** environ;

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kPollMilliseconds = 100;
// After one rank dies the others get this long to notice and exit by themselves (their logs
// then say what they saw) before they are killed.
constexpr std::chrono::milliseconds kDeathGrace{1500};

// A record names the failure better than "a rank died": prefer the most specific one.
int specificity(const std::string& failure_class) {
  if (failure_class == failure_class::kOutOfMemory) return 5;
  if (failure_class == failure_class::kCheckpoint || failure_class == failure_class::kOutput ||
      failure_class == failure_class::kMedia)
    return 4;
  if (failure_class == failure_class::kInvalidRequest) return 3;
  if (failure_class == failure_class::kInternal) return 2;
  return 1;
}

std::vector<json> failure_records(const std::filesystem::path& log_path) {
  std::vector<json> records;
  std::ifstream log(log_path);
  for (std::string line; std::getline(log, line);) {
    if (auto record = parse_failure_record(line)) records.push_back(*record);
  }
  return records;
}

bool has_variable(const std::vector<std::string>& block, const std::string& name) {
  for (const std::string& entry : block) {
    if (entry.rfind(name + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

BackendGroup::BackendGroup(GroupConfig config, EventHandler on_event)
    : config_(std::move(config)), on_event_(std::move(on_event)) {
  if (config_.socket_path.empty()) {
    // One path per group, not per process: a studio applying a new layout starts the new group
    // while the old one is still shutting down, and with a shared path the new supervisor could
    // connect to the old rank 0, lose it when it exits, and never hear the new group.
    static std::atomic<int> num_groups{0};
    config_.socket_path = default_socket_dir() / ("group-" + std::to_string(::getpid()) + "-" +
                                                  std::to_string(++num_groups) + ".sock");
  }
  if (config_.run_dir.empty()) {
    config_.run_dir =
        config_.socket_path.parent_path() / (config_.socket_path.stem().string() + "-run");
  }
}

BackendGroup::~BackendGroup() { shutdown(std::chrono::seconds(5)); }

void BackendGroup::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { supervise(); });
}

std::vector<pid_t> BackendGroup::rank_pids() const {
  std::lock_guard lock(mutex_);
  std::vector<pid_t> pids;
  for (const Rank& rank : ranks_) pids.push_back(rank.pid);
  return pids;
}

std::filesystem::path BackendGroup::log_dir() const {
  std::lock_guard lock(mutex_);
  return log_dir_;
}

void BackendGroup::emit_group_state(const std::string& state, json detail) {
  json event = detail.is_object() ? std::move(detail) : json::object();
  event["type"] = "group";
  event["state"] = state;
  on_event_(event);
}

void BackendGroup::send(const json& message) {
  std::lock_guard lock(mutex_);
  if (socket_ && ready_) {
    socket_->write_all(to_line(message));
    return;
  }
  if (message["type"] == "submit") {
    // Answered here as the group would, so that the client always hears back.
    const json refused = {{"type", "refused"},
                          {"job_id", message["job_id"]},
                          {"reason", "not_ready"},
                          {"message", "the backend group is not ready yet"}};
    on_event_(refused);
  }
}

void BackendGroup::submit(const std::string& job_id, const json& job) {
  {
    std::lock_guard lock(mutex_);
    if (socket_ && ready_) in_flight_.insert(job_id);
  }
  send({{"type", "submit"}, {"job_id", job_id}, {"job", job}});
}

void BackendGroup::cancel(const std::string& job_id) {
  send({{"type", "cancel"}, {"job_id", job_id}});
}

void BackendGroup::request_status() { send({{"type", "status"}}); }

void BackendGroup::deliver(json event) {
  const std::string type = event.value("type", "");
  if (type == "ready" || type == "hello") {
    const std::string state = event.value("state", "");
    bool announce = false;
    {
      std::lock_guard lock(mutex_);
      ready_ = ready_ || type == "ready" || state == "ready" || state == "busy";
      // The group may have become ready before the supervisor connected: its hello says so,
      // and the client hears "ready" once per start either way.
      announce = ready_ && !ready_announced_;
      ready_announced_ = ready_announced_ || ready_;
    }
    if (type == "hello") {
      on_event_(event);
      if (announce) {
        on_event_(
            {{"type", "ready"},
             {"load_seconds", event.value("detail", json::object()).value("load_seconds", 0.0)}});
      }
      return;
    }
    if (!announce) return;
  }
  if (type == "refused") {
    std::lock_guard lock(mutex_);
    in_flight_.erase(event.value("job_id", ""));
  }
  if (is_terminal_event(event)) {
    const std::string job_id = event.value("job_id", "");
    {
      std::lock_guard lock(mutex_);
      if (!terminated_.insert(job_id).second) return;  // already told
      in_flight_.erase(job_id);
      if (socket_) socket_->write_all(to_line({{"type", "ack"}, {"job_id", job_id}}));
    }
  }
  on_event_(event);
}

bool BackendGroup::spawn_ranks() {
  const int num_ranks = config_.num_ranks();
  const std::uint16_t port = num_ranks > 1 ? parallel::find_free_port() : 0;
  std::vector<std::string> command{config_.worker_program.string(),
                                   "--socket",
                                   config_.socket_path.string(),
                                   "--model",
                                   config_.model_dir.string(),
                                   "--device",
                                   config_.device,
                                   "--dtype",
                                   config_.dtype,
                                   "--cfg-parallel",
                                   std::to_string(config_.cfg),
                                   "--tp",
                                   std::to_string(config_.tp),
                                   "--cp",
                                   std::to_string(config_.cp),
                                   "--preview-dir",
                                   (config_.run_dir / "previews").string(),
                                   "--vae-split",
                                   config_.vae_split ? "on" : "off"};
  std::lock_guard lock(mutex_);
  ++incarnation_;
  ready_announced_ = false;
  log_dir_ = config_.run_dir / ("logs-" + std::to_string(incarnation_));
  std::filesystem::create_directories(log_dir_);
  ranks_.assign(static_cast<size_t>(num_ranks), Rank{});
  for (int rank = 0; rank < num_ranks; ++rank) {
    Rank& process = ranks_[static_cast<size_t>(rank)];
    process.log_path = log_dir_ / ("rank-" + std::to_string(rank) + ".log");
    std::vector<std::string> environment;
    if (num_ranks > 1) {
      environment = parallel::rank_environment_block(rank, num_ranks, port);
    } else {
      for (char** variable = environ; *variable != nullptr; ++variable) {
        environment.emplace_back(*variable);
      }
    }
    // Idle ranks wait in a collective while rank 0 decodes; the supervisor, not a transport
    // timeout, notices dead ranks, so the timeout only needs to outlast a long decode.
    if (!has_variable(environment, "COSMOS3_COMM_TIMEOUT_S")) {
      environment.emplace_back("COSMOS3_COMM_TIMEOUT_S=900");
    }
    environment.insert(environment.end(), config_.environment.begin(), config_.environment.end());
    if (const auto found = config_.rank_environment.find(rank);
        found != config_.rank_environment.end()) {
      environment.insert(environment.end(), found->second.begin(), found->second.end());
    }
    const int log_fd =
        ::open(process.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return false;
    process.pid = parallel::start_rank_process(command, environment, log_fd, -1);
    ::close(log_fd);
  }
  return true;
}

bool BackendGroup::reap_ranks() {
  std::lock_guard lock(mutex_);
  bool any_exited = false;
  for (Rank& rank : ranks_) {
    if (rank.exited) continue;
    int status = 0;
    if (::waitpid(rank.pid, &status, WNOHANG) == rank.pid) {
      rank.exited = true;
      rank.wait_status = status;
      any_exited = true;
    }
  }
  return any_exited;
}

bool BackendGroup::connect_to_rank0() {
  while (!stopping_) {
    if (reap_ranks()) return false;
    try {
      const int fd = connect_unix_socket(config_.socket_path);
      std::lock_guard lock(mutex_);
      socket_ = std::make_unique<LineSocket>(fd, kMaxMessageBytes);
      socket_->write_all(to_line({{"type", "hello"}, {"version", kProtocolVersion}}));
      return true;
    } catch (const BackendError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMilliseconds));
    }
  }
  return false;
}

void BackendGroup::pump_events() {
  LineSocket* socket = nullptr;
  {
    std::lock_guard lock(mutex_);
    socket = socket_.get();
  }
  if (socket == nullptr) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMilliseconds));
    return;
  }
  std::string line;
  // Only this thread reads, and socket_ is replaced only by this thread.
  LineSocket::Read read = LineSocket::Read::kTimeout;
  while ((read = socket->read_line(line, kPollMilliseconds)) == LineSocket::Read::kLine) {
    json event = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (event.is_object()) deliver(std::move(event));
  }
  // Rank 0 closed the link: it is exiting and reap_ranks will see it; a closed socket reads
  // at once, so wait here rather than spin.
  if (read == LineSocket::Read::kClosed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMilliseconds));
  }
}

void BackendGroup::end_ranks(std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    reap_ranks();
    std::lock_guard lock(mutex_);
    bool all_exited = true;
    for (const Rank& rank : ranks_) all_exited = all_exited && rank.exited;
    if (all_exited) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  {
    std::lock_guard lock(mutex_);
    for (const Rank& rank : ranks_) {
      if (!rank.exited) ::kill(rank.pid, SIGKILL);
    }
  }
  for (Rank& rank : ranks_) {
    if (rank.exited) continue;
    int status = 0;
    ::waitpid(rank.pid, &status, 0);
    rank.exited = true;
    rank.wait_status = status;
  }
}

json BackendGroup::failure_for_dead_ranks() const {
  std::optional<json> best;
  for (size_t index = 0; index < ranks_.size(); ++index) {
    for (json record : failure_records(ranks_[index].log_path)) {
      if (!best || specificity(record.value("class", "")) > specificity(best->value("class", ""))) {
        best = record;
      }
    }
  }
  if (best && best->value("class", "") != failure_class::kRankDied) {
    return {{"class", (*best)["class"]},
            {"message", best->value("message", "")},
            {"suggestion", best->value("suggestion", "")},
            {"rank", best->value("rank", -1)}};
  }
  // No rank said why: name the first that died without a record (killed, crashed).
  for (size_t index = 0; index < ranks_.size(); ++index) {
    const Rank& rank = ranks_[index];
    if (!rank.exited || failure_records(rank.log_path).size() > 0) continue;
    return {{"class", failure_class::kRankDied},
            {"message", "rank " + std::to_string(index) + " (pid " + std::to_string(rank.pid) +
                            ") died: " + parallel::describe_wait_status(rank.wait_status) +
                            "; last lines of " + rank.log_path.string() + ":\n" +
                            parallel::log_tail(rank.log_path, 10)},
            {"suggestion",
             "the group restarts by itself; retry the job. If a rank keeps dying, read its log "
             "(a GPU fault, or the system's out-of-memory killer)"},
            {"rank", static_cast<int>(index)}};
  }
  return {{"class", failure_class::kRankDied},
          {"message", "the backend group's ranks exited"},
          {"suggestion", "the group restarts by itself; retry the job"}};
}

void BackendGroup::handle_rank_death() {
  end_ranks(kDeathGrace);
  // Events rank 0 sent before it went are still in the socket.
  pump_events();
  std::vector<std::string> orphaned;
  json failure;
  {
    std::lock_guard lock(mutex_);
    orphaned.assign(in_flight_.begin(), in_flight_.end());
    failure = failure_for_dead_ranks();
    socket_.reset();
    ready_ = false;
  }
  for (const std::string& job_id : orphaned) {
    json event = failure;
    event["type"] = "failed";
    event["job_id"] = job_id;
    deliver(event);
  }
}

void BackendGroup::supervise() {
  int num_restarts = 0;
  while (!stopping_) {
    emit_group_state("starting", {{"num_ranks", config_.num_ranks()}});
    if (!spawn_ranks()) {
      emit_group_state("failed",
                       {{"message", "cannot write rank logs under " + config_.run_dir.string()}});
      return;
    }
    bool died = !connect_to_rank0();
    if (!died) emit_group_state("connected", {{"log_dir", log_dir().string()}});
    while (!died && !stopping_) {
      pump_events();
      died = reap_ranks();
    }
    if (!died || shutting_down_) return;
    const bool was_ready = [&] {
      std::lock_guard lock(mutex_);
      return ready_;
    }();
    handle_rank_death();
    if (stopping_) return;
    if (!was_ready || ++num_restarts > config_.max_restarts) {
      emit_group_state(
          "failed", {{"log_dir", log_dir().string()},
                     {"message", was_ready ? "the ranks kept dying" : "the group could not start"},
                     {"failure", failure_for_dead_ranks()}});
      return;
    }
    emit_group_state("restarting", {{"restart", num_restarts}});
  }
}

void BackendGroup::shutdown(std::chrono::seconds grace) {
  if (!thread_.joinable()) return;
  shutting_down_ = true;
  {
    std::lock_guard lock(mutex_);
    if (socket_) socket_->write_all(to_line({{"type", "shutdown"}}));
  }
  // The ranks finish (canceling a running job, whose event still arrives) and exit by
  // themselves; whatever is left after the grace is ended.
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    bool all_exited = true;
    {
      std::lock_guard lock(mutex_);
      for (const Rank& rank : ranks_) all_exited = all_exited && rank.exited;
    }
    if (all_exited) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stopping_ = true;
  thread_.join();
  end_ranks(std::chrono::milliseconds(0));
  {
    std::lock_guard lock(mutex_);
    socket_.reset();
    ready_ = false;
  }
  shutting_down_ = false;
  emit_group_state("stopped");
}

}  // namespace cosmos3::backend
