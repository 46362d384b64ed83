#include "tray/linux/posix_http_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tray/core/http_message.h"

namespace cks::tray {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSliceMs = 200;  // how often a wait looks at cancel()

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<HttpAnswer> PosixHttpConnection::get(const std::string& path, std::chrono::seconds timeout) {
  return request("GET", path, "", timeout);
}

Result<HttpAnswer> PosixHttpConnection::post(const std::string& path, const std::string& body,
                                             std::chrono::seconds timeout) {
  return request("POST", path, body, timeout);
}

Result<HttpAnswer> PosixHttpConnection::request(const std::string& method, const std::string& path,
                                                const std::string& body,
                                                std::chrono::seconds timeout) {
  const std::string where = "127.0.0.1:" + std::to_string(port_);
  if (cancelled_) return fail(where, ": cancelled");
  const auto deadline = Clock::now() + timeout;
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (socket.fd() < 0) return fail(where, ": socket: ", std::strerror(errno));

  // Waits until `events` or the deadline, looking at cancel() every slice.
  auto wait = [&](short events) -> Status {
    while (true) {
      if (cancelled_) return fail(where, ": cancelled");
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return fail(where, ": timed out");
      pollfd pfd{socket.fd(), events, 0};
      const int ready = ::poll(&pfd, 1, int(std::min<long long>(left, kSliceMs)));
      if (ready > 0) return ok();
      if (ready < 0 && errno != EINTR) return fail(where, ": poll: ", std::strerror(errno));
    }
  };

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return fail(where, ": connect: ", std::strerror(errno));
    if (auto ready = wait(POLLOUT); !ready) return tl::unexpected(ready.error());
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return fail(where, ": connect: ", std::strerror(error));
  }

  const std::string request = httpRequest(method, path, port_, secret_, body);
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n =
        ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += size_t(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (auto ready = wait(POLLOUT); !ready) return tl::unexpected(ready.error());
    } else {
      return fail(where, ": send: ", std::strerror(errno));
    }
  }

  std::string response;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n > 0) {
      response.append(buffer, size_t(n));
      if (httpResponseComplete(response)) break;  // whether or not the agent closes
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN || errno == EINTR) {
      if (auto ready = wait(POLLIN); !ready) return tl::unexpected(ready.error());
    } else {
      return fail(where, ": recv: ", std::strerror(errno));
    }
  }
  if (response.empty()) return fail(where, ": the connection closed without an answer");
  auto answer = parseHttpResponse(response);
  if (!answer) return tl::unexpected(answer.error().wrap(where));
  return answer;
}

}  // namespace cks::tray
