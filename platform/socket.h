// A look at a socket another library owns (libpq's connection, Poco's server sockets), and
// ending one. Platform code: posix/socket.cc. Thread-safe.
#pragma once

#include <vector>

namespace cks::platform {

// True when `socket` has bytes (or the peer's close) waiting to be read; never waits.
[[nodiscard]] bool socketHasInput(int socket);

// The peer of the connected `socket` as its socket address's bytes (a sockaddr, for the
// owner's socket library to read); empty when `socket` is not a connected socket.
[[nodiscard]] std::vector<unsigned char> socketPeer(int socket);

// Ends both directions of `socket` now (its owner still closes it): a thread blocked reading
// it sees the end of the stream.
void shutdownSocket(int socket);

}  // namespace cks::platform
