#pragma once
// The supervisor of a resident backend group, for its client (the studio, cosmos3-batch):
// starts cfg x tp x cp ranks of cosmos3-worker for a model, layout, device and dtype, connects
// to rank 0's socket, relays commands and events, and watches the ranks. A rank that dies is
// noticed within a fraction of a second: the others are ended (never left hanging in a
// collective), the running job fails with the dead rank's record or log, and the group starts
// again. Every accepted job gets exactly one terminal event. Qt-free and torch-free.

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cosmos3::backend {

class LineSocket;

struct GroupConfig {
  std::filesystem::path worker_program;  // cosmos3-worker
  std::filesystem::path model_dir;
  std::string device = "cpu";  // "cpu" or "cuda" (one GPU per rank)
  std::string dtype = "float32";
  int cfg = 1;
  int tp = 1;
  int cp = 1;
  // Decode and encode split by rows across all ranks (cosmos3-worker --vae-split on|off).
  bool vae_split = true;
  std::filesystem::path socket_path;  // empty: default_socket_dir()/group-PID.sock
  std::filesystem::path run_dir;      // rank logs and previews; empty: beside the socket
  // "NAME=value" for every rank, and for single ranks (e.g. a memory limit in a test).
  std::vector<std::string> environment;
  std::map<int, std::vector<std::string>> rank_environment;
  // Restarts after a rank died during a job, up to this many times in a row.
  int max_restarts = 3;

  int num_ranks() const { return cfg * tp * cp; }
};

class BackendGroup {
 public:
  // Called on the supervisor's thread with every event: the group's own (PROTOCOL.md) and the
  // supervisor's {"type": "group", "state": "starting" | "connected" | "restarting" |
  // "stopped" | "failed", ...}.
  using EventHandler = std::function<void(const nlohmann::json& event)>;

  BackendGroup(GroupConfig config, EventHandler on_event);
  ~BackendGroup();  // shuts the group down
  BackendGroup(const BackendGroup&) = delete;
  BackendGroup& operator=(const BackendGroup&) = delete;

  const GroupConfig& config() const { return config_; }
  // Starts the ranks in the background; progress arrives as events.
  void start();
  // Each answers through events (accepted / refused, canceling, status).
  void submit(const std::string& job_id, const nlohmann::json& job);
  void cancel(const std::string& job_id);
  void request_status();
  // Asks the group to stop (canceling a running job) and waits for its ranks, ending them after
  // `grace`.
  void shutdown(std::chrono::seconds grace = std::chrono::seconds(10));
  // Rank PIDs of the current incarnation (for tests and diagnostics).
  std::vector<pid_t> rank_pids() const;
  std::filesystem::path log_dir() const;

 private:
  struct Rank {
    pid_t pid = -1;
    std::filesystem::path log_path;
    int wait_status = 0;
    bool exited = false;
  };

  void supervise();
  bool spawn_ranks();
  bool connect_to_rank0();
  void pump_events();
  bool reap_ranks();
  void handle_rank_death();
  void end_ranks(std::chrono::milliseconds grace);
  void deliver(nlohmann::json event);
  void send(const nlohmann::json& message);
  void emit_group_state(const std::string& state, nlohmann::json detail = {});
  nlohmann::json failure_for_dead_ranks() const;

  GroupConfig config_;
  EventHandler on_event_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shutting_down_{false};  // rank exits are expected

  mutable std::mutex mutex_;
  std::unique_ptr<LineSocket> socket_;
  std::vector<Rank> ranks_;
  std::filesystem::path log_dir_;
  int incarnation_ = 0;
  bool ready_ = false;
  bool ready_announced_ = false;      // "ready" told to the client for this start
  std::set<std::string> in_flight_;   // accepted or submitted, no terminal event yet
  std::set<std::string> terminated_;  // terminal event delivered
};

}  // namespace cosmos3::backend
