// IPv4 and IPv6 addresses between their text and their bytes, as the socket layer reads and
// writes them (the hub's server names, its certificate's IP subject alternative names).
// Platform code: posix/ip_address.cc. Thread-safe.
#pragma once

#include <optional>
#include <string>

namespace cks::platform {

// The 4 (IPv4) or 16 (IPv6) bytes of the address `text` ("10.0.0.5", "fd00::1"), or nullopt
// when `text` is not an IP address (a DNS name).
[[nodiscard]] std::optional<std::string> parseIpAddress(const std::string& text);

// The canonical text of an address given as 4 or 16 bytes ("::1"); empty for another length.
[[nodiscard]] std::string ipAddressText(const std::string& bytes);

}  // namespace cks::platform
