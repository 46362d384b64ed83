// How the sync port stays open for enrolled agents whoever else reaches it (issue 15, finding
// 3; docs/security.md, "Resource bounds"). Every connection, from its accept until its request's
// last body byte, must finish within [server] request_deadline, however slowly its bytes come
// (one byte every 20 s passes any per-read timeout; the deadline is overall): past it, its
// socket is shut and its thread is free. An address holds at most [server]
// connections_per_address connections whose certificate is not yet known to be the agent CA's
// (extra ones are closed at accept, before a thread or the queue sees them); once the handshake
// shows an enrolled agent's certificate, the connection no longer counts. Connections of other
// certificates (enrolment) share [server] unenrolled_connections; beyond, they are closed.
// Thread-safe; one watcher thread of its own.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace cks::hub {

struct ConnectionBounds {
  std::chrono::seconds request_deadline{30};
  int per_address = 32;
  int unenrolled = 8;
};

class ConnectionGuard {
 public:
  ConnectionGuard(ConnectionBounds bounds, Poco::Logger& log);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // At accept, on the acceptor's thread: false (the socket is closed) when its address holds
  // its bound already. Starts the connection's deadline.
  [[nodiscard]] bool admit(const Poco::Net::StreamSocket& socket);
  // Taken by the connection's handler when its thread picks it up: what forget() asks for.
  [[nodiscard]] std::uint64_t ticket(int fd);
  // Its handshake showed an enrolled agent's certificate: it no longer counts for its address.
  void proven(int fd);
  // Its certificate is not the agent CA's: false when the unenrolled connections are all taken.
  [[nodiscard]] bool enterUnenrolled(int fd);
  // The request's body is in: no deadline while the hub answers.
  void disarm(int fd);
  // The answer is out: the next request must be in within `idle` plus the deadline.
  void arm(int fd, std::chrono::seconds idle);
  // Before its socket closes: the connection of `ticket` is gone (nothing if the number is
  // another connection's by now).
  void forget(int fd, std::uint64_t ticket);
  // Once the server accepts no more: shuts every connection's socket, so that their threads
  // return at once, and watches no more.
  void shutdownAll();

 private:
  using Instant = std::chrono::steady_clock::time_point;
  struct Connection {
    std::string address;
    std::string peer;     // address:port, to know the socket by beyond its number
    bool counted = true;  // for its address
    bool unenrolled = false;
    Instant deadline = Instant::max();
    std::uint64_t ticket = 0;  // 0 while the connection waits in the server's queue
  };

  // Both under the lock.
  void uncount(Connection& connection);
  void release(std::map<int, Connection>::iterator connection);
  void watch();

  const ConnectionBounds bounds_;
  Poco::Logger& log_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<int, Connection> connections_;   // by socket
  std::map<std::string, int> per_address_;  // connections counted for each address
  std::set<std::string> warned_;            // addresses at their bound, logged once
  int unenrolled_ = 0;
  bool unenrolled_warned_ = false;  // the pool is full and hub.log said so
  std::uint64_t tickets_ = 0;
  std::thread watcher_;
};

}  // namespace cks::hub
