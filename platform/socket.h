// A look at a socket another library owns (libpq's connection). Platform code:
// posix/socket.cc. Thread-safe.
#pragma once

namespace cks::platform {

// True when `socket` has bytes (or the peer's close) waiting to be read; never waits.
[[nodiscard]] bool socketHasInput(int socket);

}  // namespace cks::platform
