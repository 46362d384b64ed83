// Fetches a revocation list over HTTP (Poco's HTTPClientSession), through the configured proxy
// when there is one. Only http:// URLs: CRLs are signed, and TLS to a CA's publication point
// would need the very revocation information being fetched. Thread-safe (a session per call).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace cks::hub {

// An HTTP proxy the request goes through.
struct FetchProxy {
  std::string host;
  int port = 0;
  std::string username;  // empty: no Proxy-Authorization
  std::string password;
};

// The proxy for a connection to `host` (nullopt: direct), or why the setting is wrong; the hub
// answers it from [revocation] proxy (hub/province/revocation_service.h).
using ProxyChoice = std::function<Result<std::optional<FetchProxy>>(const std::string& host)>;

struct FetchSettings {
  ProxyChoice proxy;  // empty: always direct
  std::chrono::seconds timeout{30};
  std::size_t max_bytes = 64 * 1024 * 1024;  // a national CA's list is tens of megabytes at most
};

// The body of a 200 answer to GET `url`. Fails (naming the URL) on a bad URL, no connection,
// a timeout, another status, or a body over max_bytes.
[[nodiscard]] Result<std::vector<std::uint8_t>> fetchCrl(const std::string& url,
                                                         const FetchSettings& settings);

}  // namespace cks::hub
