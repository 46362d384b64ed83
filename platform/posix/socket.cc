#include "platform/socket.h"

#include <poll.h>

namespace cks::platform {

bool socketHasInput(int socket) {
  pollfd readable{socket, POLLIN, 0};
  return poll(&readable, 1, 0) > 0;
}

}  // namespace cks::platform
