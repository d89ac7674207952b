#pragma once
// Rank 0's side of the connection to the group's one client: a thread that accepts the owner
// (a second connection is turned away while one is attached), answers protocol messages,
// validates submitted jobs, and hands accepted jobs to the rank loop. Terminal events are kept
// until the client acknowledges them, so a client that reconnects still gets each one.

#include "parallel/backend/line_socket.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace cosmos3::backend {

class ClientLink {
 public:
  // Checks a job and returns it as it will run (a seed filled in); throws UserError naming the
  // rule it breaks.
  using JobValidator = std::function<nlohmann::json(const nlohmann::json& job)>;

  enum class CommandKind { kIdle, kJob, kShutdown };
  struct Command {
    CommandKind kind = CommandKind::kIdle;
    std::string job_id;
    nlohmann::json job;
  };

  // Takes ownership of the listening socket; `group` describes the group in hello replies.
  ClientLink(int listen_fd, nlohmann::json group, JobValidator validate);
  ~ClientLink();
  ClientLink(const ClientLink&) = delete;
  ClientLink& operator=(const ClientLink&) = delete;

  // The next job, a shutdown, or kIdle after `timeout`.
  Command wait_command(std::chrono::milliseconds timeout);
  bool cancel_requested(const std::string& job_id);
  // Sends an event to the client if one is attached; terminal events are also kept until acked.
  void send_event(const nlohmann::json& event);
  // "loading", "ready" or "failed"; ready also ends the running job.
  void set_state(const std::string& state, const nlohmann::json& detail = {});

 private:
  void serve();
  // Handles the messages the client has sent; false once it disconnected.
  bool serve_client(LineSocket& client, bool& greeted);
  void handle(LineSocket& client, const nlohmann::json& message, bool& greeted);
  // Replies "accepted" or "refused" itself: "accepted" is written under the lock that hands the
  // job to the rank loop, so no event of the job can reach the client before it.
  void submit(LineSocket& client, const nlohmann::json& message);
  nlohmann::json status_locked() const;
  void reply(LineSocket& client, nlohmann::json message, const nlohmann::json& request);

  int listen_fd_;
  nlohmann::json group_;
  JobValidator validate_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  mutable std::mutex mutex_;
  std::condition_variable command_ready_;
  std::shared_ptr<LineSocket> client_;
  bool client_greeted_ = false;
  std::string state_ = "loading";
  nlohmann::json state_detail_;
  std::optional<Command> pending_;
  std::string running_job_;
  std::set<std::string> canceled_jobs_;
  std::set<std::string> seen_job_ids_;
  std::map<std::string, nlohmann::json> unacked_terminal_;
  bool shutdown_requested_ = false;
};

}  // namespace cosmos3::backend
