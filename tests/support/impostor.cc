#include "tests/support/impostor.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace cks::test {

Impostor::Impostor(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(std::uint16_t(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd_, 8) != 0) {
    throw std::runtime_error("impostor: cannot listen on port " + std::to_string(port));
  }
  thread_ = std::thread([this] { serve(); });
}

Impostor::~Impostor() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

std::string Impostor::received() {
  std::lock_guard lock(mutex_);
  return received_;
}

void Impostor::serve() {
  while (!stop_) {
    pollfd incoming{fd_, POLLIN, 0};
    if (poll(&incoming, 1, 100) != 1) continue;
    const int client = accept(fd_, nullptr, nullptr);
    if (client < 0) continue;
    ++connections_;
    std::string request;
    char buffer[4096];
    pollfd readable{client, POLLIN, 0};
    // Until the headers' end (and a moment for a body): enough to catch a bearer secret.
    while (request.find("\r\n\r\n") == std::string::npos && poll(&readable, 1, 2000) == 1) {
      const ssize_t n = recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request.append(buffer, size_t(n));
    }
    {
      std::lock_guard lock(mutex_);
      received_ += request;
    }
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n{}";
    (void)send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
    close(client);
  }
}

}  // namespace cks::test
