#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace cks::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::uint8_t kApplicationData = 23;  // TLS record content type
// A dropped answer is read until the target has been quiet this long (or closed, or the cap).
constexpr auto kAnswerQuiet = 150ms;
constexpr auto kAnswerCap = 5s;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A blocked send() must not hang the proxy's shutdown: the peers read, so 5 s is plenty.
void limitSendTime(int fd) {
  timeval limit{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

bool sendAll(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

// Splits a byte stream into TLS records (header: type, version, 16-bit length) without
// decrypting anything: each piece() lies within one record and says whether it begins one.
class RecordTracker {
 public:
  std::size_t piece(const std::uint8_t* data, std::size_t size, bool& starts, std::uint8_t& type) {
    starts = header_seen_ == 0;
    if (starts) type_ = data[0];
    type = type_;
    if (header_seen_ < kHeaderSize) {
      const std::size_t take = std::min(kHeaderSize - header_seen_, size);
      std::memcpy(header_ + header_seen_, data, take);
      header_seen_ += take;
      if (header_seen_ == kHeaderSize) {
        body_left_ = (std::size_t(header_[3]) << 8) | header_[4];
        if (body_left_ == 0) header_seen_ = 0;
      }
      return take;
    }
    const std::size_t take = std::min(body_left_, size);
    body_left_ -= take;
    if (body_left_ == 0) header_seen_ = 0;
    return take;
  }

 private:
  static constexpr std::size_t kHeaderSize = 5;
  std::uint8_t header_[kHeaderSize] = {};
  std::size_t header_seen_ = 0;
  std::size_t body_left_ = 0;
  std::uint8_t type_ = 0;
};

}  // namespace

// One client connection and its connection to the target.
struct FaultProxy::Connection {
  int client = -1;
  int target = -1;
  RecordTracker from_client;
  RecordTracker from_target;
  bool request_open = false;  // the client has sent application data not yet answered
  Mode hit = Mode::Pass;      // what the current fault does to the open exchange
  std::size_t keep_bytes = 0;
  std::size_t request_bytes = 0;  // of the open exchange, forwarded so far
  bool first_from_client = true;
  bool first_from_target = true;

  ~Connection() {
    if (client >= 0) close(client);
    if (target >= 0) close(target);
  }
};

FaultProxy::FaultProxy(int target_port) : target_port_(target_port) {
  if (pipe2(wake_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("fault proxy: pipe failed");
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string why = std::strerror(errno);
    if (listen_fd_ >= 0) close(listen_fd_);
    close(wake_pipe_[0]);
    close(wake_pipe_[1]);
    throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1: " + why);
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  const char wake = 'x';
  (void)!write(wake_pipe_[1], &wake, 1);
  acceptor_.join();
  std::list<Worker> workers;
  {
    std::lock_guard lock(mutex_);
    workers.splice(workers.end(), workers_);
  }
  for (auto& worker : workers) worker.thread.join();
  close(listen_fd_);
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void FaultProxy::setFault(const Fault& fault) {
  std::lock_guard lock(mutex_);
  fault_ = fault;
  stats_.exchanges = 0;
}

FaultProxy::Stats FaultProxy::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

void FaultProxy::count(int Stats::*counter) {
  std::lock_guard lock(mutex_);
  ++(stats_.*counter);
}

bool FaultProxy::beginExchange(Mode& mode, Fault& fault) {
  std::lock_guard lock(mutex_);
  const int number = ++stats_.exchanges;
  fault = fault_;
  mode = fault_.mode;
  return (mode == Mode::TruncateRequest || mode == Mode::DropAnswer) && number >= fault_.exchange &&
         number < fault_.exchange + fault_.count;
}

bool FaultProxy::pause(std::chrono::milliseconds duration) {
  const auto deadline = Clock::now() + duration;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) return !stopping_;
    pollfd wake{wake_pipe_[0], POLLIN, 0};
    if (poll(&wake, 1, static_cast<int>(left.count())) > 0) return false;
  }
}

void FaultProxy::reapFinishedWorkers() {
  std::list<Worker> finished;
  {
    std::lock_guard lock(mutex_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto next = std::next(it);
      if (it->done) finished.splice(finished.end(), workers_, it);
      it = next;
    }
  }
  for (auto& worker : finished) worker.thread.join();
}

void FaultProxy::acceptLoop() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  while (!stopping_) {
    if (poll(fds, 2, 1000) <= 0) continue;
    if (fds[1].revents != 0) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    reapFinishedWorkers();
    std::lock_guard lock(mutex_);
    ++stats_.connections;
    if (workers_.size() >= std::size_t(kMaxConnections)) {
      ++stats_.refused;
      close(client);
      continue;
    }
    Worker& worker = workers_.emplace_back();
    worker.thread = std::thread([this, client, &worker] { serve(client, worker); });
  }
}

void FaultProxy::serve(int client_fd, Worker& worker) {
  Connection c;
  c.client = client_fd;
  Fault at_accept;
  {
    std::lock_guard lock(mutex_);
    at_accept = fault_;
  }
  const auto finish = [&worker] { worker.done = true; };
  if (at_accept.mode == Mode::Refuse) {
    count(&Stats::refused);
    return finish();
  }
  c.target = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in target = loopback(target_port_);
  if (c.target < 0 ||
      connect(c.target, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
    count(&Stats::refused);  // the target is down: the client sees its connection closed
    return finish();
  }
  limitSendTime(c.client);
  limitSendTime(c.target);
  const bool delayed = at_accept.mode == Mode::Delay && at_accept.delay > 0ms;
  if (delayed) count(&Stats::delayed);

  // Forwards `size` bytes read from the client; false when the connection must end.
  const auto fromClient = [&](const std::uint8_t* data, std::size_t size) {
    if (c.first_from_client) {
      c.first_from_client = false;
      if (delayed && !pause(at_accept.delay)) return false;
    }
    while (size > 0) {
      bool starts = false;
      std::uint8_t type = 0;
      std::size_t piece = c.from_client.piece(data, size, starts, type);
      if (starts && type == kApplicationData && !c.request_open) {
        c.request_open = true;
        c.request_bytes = 0;
        Fault fault;
        Mode mode = Mode::Pass;
        c.hit = beginExchange(mode, fault) ? mode : Mode::Pass;
        c.keep_bytes = fault.keep_bytes;
      }
      if (c.request_open && c.hit == Mode::TruncateRequest) {
        const std::size_t allowed = c.keep_bytes - std::min(c.keep_bytes, c.request_bytes);
        if (piece >= allowed) {
          (void)sendAll(c.target, data, allowed);
          count(&Stats::truncated);
          return false;
        }
      }
      if (c.request_open) c.request_bytes += piece;
      if (!sendAll(c.target, data, piece)) return false;
      data += piece;
      size -= piece;
    }
    return true;
  };

  // Reads what the target answers until it is quiet, closed, or the cap passes.
  const auto swallowAnswer = [&] {
    const auto cap = Clock::now() + kAnswerCap;
    std::uint8_t buffer[16384];
    pollfd fds[2] = {{c.target, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    while (Clock::now() < cap) {
      const int ready = poll(fds, 2, static_cast<int>(kAnswerQuiet.count()));
      if (ready <= 0 || fds[1].revents != 0) return;
      if (read(c.target, buffer, sizeof buffer) <= 0) return;
    }
  };

  // Forwards `size` bytes read from the target; false when the connection must end.
  const auto fromTarget = [&](const std::uint8_t* data, std::size_t size) {
    if (c.first_from_target) {
      c.first_from_target = false;
      if (delayed && !pause(at_accept.delay)) return false;
    }
    while (size > 0) {
      bool starts = false;
      std::uint8_t type = 0;
      const std::size_t piece = c.from_target.piece(data, size, starts, type);
      if (starts && type == kApplicationData && c.request_open) {
        c.request_open = false;  // the answer begins: the target has acted on the request
        if (c.hit == Mode::DropAnswer) {
          swallowAnswer();
          count(&Stats::answers_dropped);
          return false;
        }
      }
      if (!sendAll(c.client, data, piece)) return false;
      data += piece;
      size -= piece;
    }
    return true;
  };

  pollfd fds[3] = {{c.client, POLLIN, 0}, {c.target, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  std::uint8_t buffer[16384];
  bool open = true;
  while (open && !stopping_) {
    if (poll(fds, 3, 1000) <= 0) continue;
    if (fds[2].revents != 0) break;
    for (int i = 0; i < 2 && open; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got <= 0) {
        open = false;
      } else if (i == 0) {
        open = fromClient(buffer, std::size_t(got));
      } else {
        open = fromTarget(buffer, std::size_t(got));
      }
    }
  }
  finish();
}

}  // namespace cks::test
