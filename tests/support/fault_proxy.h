// A TCP proxy for fault tests: listens on 127.0.0.1 (a port of its own) and forwards each
// connection to a target port on 127.0.0.1, misbehaving on demand (refusing, delaying,
// truncating requests, losing answers). TLS passes through untouched; the proxy reads only the
// 5-byte TLS record headers to tell a request from its answer. One thread accepts, one thread
// serves each connection (at most kMaxConnections at once); all methods are thread-safe and the
// destructor stops every thread and closes every socket.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cks::test {

class FaultProxy {
 public:
  static constexpr int kMaxConnections = 64;

  enum class Mode {
    Pass,             // forward both ways
    Refuse,           // accept, then close at once without a byte
    Delay,            // hold each direction's first bytes of a connection for `delay`
    TruncateRequest,  // forward only `keep_bytes` of a hit request, then close both sides
    DropAnswer,       // forward a hit request whole, read the target's answer, then close the
                      // client's connection without sending it: the target has acted, the
                      // client never hears so
  };

  // What the proxy does to connections and exchanges from now on. An *exchange* is a request
  // (the client's TLS application-data records, with TLS 1.3 its encrypted handshake flight
  // too) and its answer (the target's application-data records that follow). Exchanges are
  // numbered 1, 2, … across all connections since the last setFault(); TruncateRequest and
  // DropAnswer hit exchanges `exchange` … `exchange + count - 1`.
  struct Fault {
    Mode mode = Mode::Pass;
    std::chrono::milliseconds delay{0};
    std::size_t keep_bytes = 0;
    int exchange = 1;
    int count = 1;
  };

  // What happened so far (every counter only grows).
  struct Stats {
    int connections = 0;      // accepted
    int refused = 0;          // closed at once (Refuse, or the target refused the connection)
    int delayed = 0;          // connections whose first bytes were held
    int truncated = 0;        // requests cut short
    int answers_dropped = 0;  // answers the target sent that the client never got
    int exchanges = 0;        // requests seen since the last setFault()
  };

  // Starts listening on 127.0.0.1 (a free port) and forwarding to 127.0.0.1:`target_port`.
  // Throws std::runtime_error when it cannot listen.
  explicit FaultProxy(int target_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }

  // Applies to connections accepted and exchanges begun from now on; restarts exchange
  // numbering.
  void setFault(const Fault& fault);
  [[nodiscard]] Stats stats();

 private:
  struct Connection;
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void acceptLoop();
  void serve(int client_fd, Worker& worker);
  // Reserves the next exchange number; true when the current fault hits it (`mode` says how).
  bool beginExchange(Mode& mode, Fault& fault);
  void count(int Stats::*counter);
  void reapFinishedWorkers();
  // Sleeps `duration` or until the proxy stops; false when it stops.
  bool pause(std::chrono::milliseconds duration);

  int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written once when stopping: every poll() sees it
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  Fault fault_;
  Stats stats_;
  std::list<Worker> workers_;  // guarded by mutex_; std::list keeps each Worker in place
  std::thread acceptor_;
};

}  // namespace cks::test
