#include "hub/sync_connections.h"

#include <Poco/Net/SocketAddress.h>

#include <algorithm>

#include "platform/socket.h"

namespace cks::hub {
namespace {

// The peer (address:port) of socket `fd`; "" when `fd` is no connected socket.
std::string peerOf(int fd) {
  const std::vector<unsigned char> peer = platform::socketPeer(fd);
  if (peer.empty()) return "";
  try {
    return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(peer.data()),
                                    poco_socklen_t(peer.size()))
        .toString();
  } catch (const Poco::Exception&) {
    return "";
  }
}

}  // namespace

ConnectionGuard::ConnectionGuard(ConnectionBounds bounds, Poco::Logger& log)
    : bounds_(bounds), log_(log), watcher_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  watcher_.join();
}

bool ConnectionGuard::admit(const Poco::Net::StreamSocket& socket) {
  const int fd = socket.impl()->sockfd();
  std::string address, peer;
  try {
    address = socket.peerAddress().host().toString();
    peer = socket.peerAddress().toString();
  } catch (const Poco::Exception&) {
    return false;  // gone already
  }
  std::lock_guard lock(mutex_);
  // A number still listed belongs to a socket closed before its connection said so (a failed
  // handshake that Poco closed itself): that connection is gone.
  if (auto stale = connections_.find(fd); stale != connections_.end()) release(stale);
  int& held = per_address_[address];
  if (held >= bounds_.per_address) {
    // Once per wave, not once per connection: a flood must not fill hub.log instead.
    if (warned_.insert(address).second) {
      log_.warning("sync: " + address + " holds " + std::to_string(held) +
                   " connections without an agent certificate ([server] "
                   "connections_per_address): more are closed at once");
    }
    return false;
  }
  ++held;
  // The watcher looks at least once a second: no need to wake it.
  connections_[fd] = {
      address, peer, true, false, std::chrono::steady_clock::now() + bounds_.request_deadline, 0};
  return true;
}

std::uint64_t ConnectionGuard::ticket(int fd) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(fd);
  if (found == connections_.end()) return 0;
  found->second.ticket = ++tickets_;
  return found->second.ticket;
}

void ConnectionGuard::proven(int fd) {
  std::lock_guard lock(mutex_);
  if (auto found = connections_.find(fd); found != connections_.end()) uncount(found->second);
}

bool ConnectionGuard::enterUnenrolled(int fd) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(fd);
  if (found == connections_.end()) return false;
  if (unenrolled_ >= bounds_.unenrolled) {
    if (!unenrolled_warned_) {
      unenrolled_warned_ = true;
      log_.warning("sync: " + std::to_string(unenrolled_) +
                   " connections with certificates the hub did not issue are open ([server] "
                   "unenrolled_connections): more are closed after their handshake, starting "
                   "with one from " +
                   found->second.address);
    }
    return false;
  }
  ++unenrolled_;
  found->second.unenrolled = true;
  return true;
}

void ConnectionGuard::disarm(int fd) {
  std::lock_guard lock(mutex_);
  if (auto found = connections_.find(fd); found != connections_.end()) {
    found->second.deadline = Instant::max();
  }
}

void ConnectionGuard::arm(int fd, std::chrono::seconds idle) {
  std::lock_guard lock(mutex_);
  if (auto found = connections_.find(fd); found != connections_.end()) {
    found->second.deadline = std::chrono::steady_clock::now() + idle + bounds_.request_deadline;
  }
}

void ConnectionGuard::forget(int fd, std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(fd);
  if (found != connections_.end() && found->second.ticket == ticket) release(found);
}

void ConnectionGuard::uncount(Connection& connection) {
  if (!connection.counted) return;
  connection.counted = false;
  auto address = per_address_.find(connection.address);
  if (address != per_address_.end() && --address->second <= 0) {
    per_address_.erase(address);
    warned_.erase(connection.address);
  }
}

void ConnectionGuard::release(std::map<int, Connection>::iterator connection) {
  uncount(connection->second);
  if (connection->second.unenrolled && --unenrolled_ < bounds_.unenrolled) {
    unenrolled_warned_ = false;
  }
  connections_.erase(connection);
}

void ConnectionGuard::shutdownAll() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (auto connection = connections_.begin(); connection != connections_.end();) {
    // Those still in the server's queue were closed when it stopped: their numbers may be
    // another file's by now.
    if (connection->second.ticket == 0) {
      connection = connections_.erase(connection);
      continue;
    }
    if (peerOf(connection->first) == connection->second.peer) {
      platform::shutdownSocket(connection->first);
    }
    ++connection;
  }
  changed_.notify_all();
}

void ConnectionGuard::watch() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const Instant now = std::chrono::steady_clock::now();
    Instant next = now + std::chrono::seconds(1);
    for (auto listed = connections_.begin(); listed != connections_.end();) {
      const int fd = listed->first;
      Connection& connection = listed->second;
      if (connection.deadline > now) {
        next = std::min(next, connection.deadline);
        ++listed;
        continue;
      }
      // Listed means open (forget() comes before the close), but a socket the server dropped
      // unseen may have left its number to another: that one is not cut.
      if (peerOf(fd) != connection.peer) {
        const auto stale = listed++;
        release(stale);
        continue;
      }
      // Its thread sees the end of the stream and returns.
      platform::shutdownSocket(fd);
      connection.deadline = Instant::max();
      log_.information(
          "sync: connection from " + connection.address + " cut: no complete request within " +
          std::to_string(bounds_.request_deadline.count()) + " s ([server] request_deadline)");
      ++listed;
    }
    changed_.wait_until(lock, next);
  }
}

}  // namespace cks::hub
