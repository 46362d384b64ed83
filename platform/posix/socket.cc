#include "platform/socket.h"

#include <poll.h>
#include <sys/socket.h>

namespace cks::platform {

bool socketHasInput(int socket) {
  pollfd readable{socket, POLLIN, 0};
  return poll(&readable, 1, 0) > 0;
}

std::vector<unsigned char> socketPeer(int socket) {
  sockaddr_storage peer{};
  socklen_t size = sizeof peer;
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &size) != 0) return {};
  const auto* bytes = reinterpret_cast<const unsigned char*>(&peer);
  return {bytes, bytes + size};
}

void shutdownSocket(int socket) { ::shutdown(socket, SHUT_RDWR); }

}  // namespace cks::platform
