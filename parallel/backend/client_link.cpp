#include "parallel/backend/client_link.h"

#include "parallel/backend/protocol.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cosmos3::backend {
namespace {

using json = nlohmann::json;

json protocol_error(const std::string& message) {
  return {{"type", "protocol_error"}, {"message", message}};
}

}  // namespace

ClientLink::ClientLink(int listen_fd, json group, JobValidator validate)
    : listen_fd_(listen_fd), group_(std::move(group)), validate_(std::move(validate)) {
  thread_ = std::thread([this] { serve(); });
}

ClientLink::~ClientLink() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    if (client_) client_->shut_down();
  }
  thread_.join();
  ::close(listen_fd_);
}

void ClientLink::serve() {
  std::shared_ptr<LineSocket> client;
  bool greeted = false;
  while (!stopping_) {
    pollfd polled[2] = {{listen_fd_, POLLIN, 0}, {client ? client->fd() : -1, POLLIN, 0}};
    if (::poll(polled, 2, 200) <= 0) continue;
    if (polled[0].revents & POLLIN) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        auto incoming = std::make_shared<LineSocket>(fd, kMaxMessageBytes);
        if (client) {
          // One owner at a time: the client that holds the group keeps it.
          incoming->write_all(
              to_line({{"type", "refused_connection"},
                       {"message", "another client owns this backend group; close it first"}}));
        } else {
          client = incoming;
          greeted = false;
          std::lock_guard lock(mutex_);
          client_ = client;
          client_greeted_ = false;
        }
      }
    }
    if (client && (polled[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !serve_client(*client, greeted)) {
      client.reset();
      std::lock_guard lock(mutex_);
      client_.reset();
    }
  }
}

bool ClientLink::serve_client(LineSocket& client, bool& greeted) {
  std::string line;
  while (true) {
    const LineSocket::Read read = client.read_line(line, 0);
    if (read == LineSocket::Read::kTimeout) return true;
    if (read == LineSocket::Read::kClosed) return false;
    if (read == LineSocket::Read::kOversized) {
      reply(client,
            protocol_error("message over the " + std::to_string(kMaxMessageBytes) +
                           "-byte limit: dropped"),
            {});
      continue;
    }
    try {
      handle(client, parse_client_message(line), greeted);
    } catch (const ProtocolError& error) {
      reply(client, protocol_error(error.what()), {});
    }
  }
}

void ClientLink::reply(LineSocket& client, json message, const json& request) {
  if (request.is_object() && request.contains("id")) message["reply_to"] = request["id"];
  std::lock_guard lock(mutex_);
  client.write_all(to_line(message));
}

void ClientLink::handle(LineSocket& client, const json& message, bool& greeted) {
  const std::string type = message["type"];
  if (type == "hello") {
    const int version = message["version"];
    if (version != kProtocolVersion) {
      throw ProtocolError("unsupported protocol version " + std::to_string(version) +
                          ": this group speaks version " + std::to_string(kProtocolVersion));
    }
    greeted = true;
    // Under one lock, so that no event slips between the hello and the replay.
    std::lock_guard lock(mutex_);
    json hello = status_locked();
    hello["type"] = "hello";
    hello["version"] = kProtocolVersion;
    if (message.contains("id")) hello["reply_to"] = message["id"];
    client.write_all(to_line(hello));
    for (const auto& [job_id, event] : unacked_terminal_) client.write_all(to_line(event));
    client_greeted_ = true;
    return;
  }
  if (!greeted)
    throw ProtocolError("send hello first (version " + std::to_string(kProtocolVersion) + ")");
  if (type == "submit") {
    submit(client, message);
  } else if (type == "cancel") {
    const std::string job_id = message["job_id"];
    std::lock_guard lock(mutex_);
    const bool pending = pending_ && pending_->job_id == job_id;
    if (running_job_ != job_id && !pending) {
      client.write_all(to_line(
          protocol_error("cannot cancel job " + job_id + ": it is not running or waiting")));
      return;
    }
    canceled_jobs_.insert(job_id);
    client.write_all(to_line({{"type", "canceling"}, {"job_id", job_id}}));
  } else if (type == "ack") {
    std::lock_guard lock(mutex_);
    unacked_terminal_.erase(message["job_id"].get<std::string>());
  } else if (type == "status") {
    json status;
    {
      std::lock_guard lock(mutex_);
      status = status_locked();
    }
    status["type"] = "status";
    reply(client, status, message);
  } else if (type == "shutdown") {
    {
      std::lock_guard lock(mutex_);
      shutdown_requested_ = true;
      if (!running_job_.empty()) canceled_jobs_.insert(running_job_);
    }
    command_ready_.notify_all();
    reply(client, {{"type", "bye"}}, message);
  }
}

void ClientLink::submit(LineSocket& client, const json& message) {
  const std::string job_id = message["job_id"];
  // Refusals are written after the lock is released (reply takes it).
  std::optional<json> refusal;
  const auto refused = [&](const std::string& reason, const std::string& text) {
    return json{{"type", "refused"}, {"job_id", job_id}, {"reason", reason}, {"message", text}};
  };
  {
    std::lock_guard lock(mutex_);
    if (seen_job_ids_.count(job_id)) {
      refusal = refused("invalid", "job_id " + job_id + " was used before: give each job its own");
    } else if (state_ != "ready") {
      refusal = refused("not_ready", "the group is " + state_ + ", not ready");
    } else if (!running_job_.empty() || pending_) {
      refusal = refused("busy", "the group is running job " +
                                    (running_job_.empty() ? pending_->job_id : running_job_));
    }
  }
  json job;
  if (!refusal) {
    try {
      job = validate_(message["job"]);
    } catch (const std::exception& error) {
      refusal = refused("invalid", error.what());
    }
  }
  if (!refusal) {
    std::lock_guard lock(mutex_);
    if (!running_job_.empty() || pending_) {
      refusal = refused("busy", "another job came first");
    } else {
      seen_job_ids_.insert(job_id);
      pending_ = Command{CommandKind::kJob, job_id, job};
      json accepted = {{"type", "accepted"}, {"job_id", job_id}, {"job", job}};
      if (message.contains("id")) accepted["reply_to"] = message["id"];
      client.write_all(to_line(accepted));
    }
  }
  if (refusal) return reply(client, *refusal, message);
  command_ready_.notify_all();
}

json ClientLink::status_locked() const {
  json status = {{"state", running_job_.empty() ? state_ : "busy"}, {"group", group_}};
  if (!state_detail_.is_null()) status["detail"] = state_detail_;
  if (!running_job_.empty()) status["job_id"] = running_job_;
  return status;
}

ClientLink::Command ClientLink::wait_command(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  command_ready_.wait_for(lock, timeout, [&] { return pending_ || shutdown_requested_; });
  if (shutdown_requested_ && !pending_) return Command{CommandKind::kShutdown, {}, {}};
  if (!pending_) return Command{};
  Command command = std::move(*pending_);
  pending_.reset();
  running_job_ = command.job_id;
  return command;
}

bool ClientLink::cancel_requested(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  return canceled_jobs_.count(job_id) > 0;
}

void ClientLink::send_event(const json& event) {
  std::lock_guard lock(mutex_);
  if (is_terminal_event(event)) {
    unacked_terminal_[event["job_id"].get<std::string>()] = event;
    if (event["job_id"] == running_job_) running_job_.clear();
  }
  // Events start after the client's hello: before it, the client may not speak our version.
  if (client_ && client_greeted_) client_->write_all(to_line(event));
}

void ClientLink::set_state(const std::string& state, const json& detail) {
  std::lock_guard lock(mutex_);
  state_ = state;
  state_detail_ = detail;
}

}  // namespace cosmos3::backend
