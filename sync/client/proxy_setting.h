// Which HTTP proxy, if any, carries the tunnel to the hub. On Linux cpprestsdk ignores
// https_proxy, so the agent reads the environment itself; the same rules serve `cksctl` to show
// what the agent will do. Pure functions; the environment comes in as a lookup function.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cks::sync {

// An HTTP proxy that accepts CONNECT.
struct ProxyAddress {
  std::string host;
  int port = 0;
  std::string username;  // empty: no Proxy-Authorization
  std::string password;

  // http://host:port, without the credentials (for logs).
  [[nodiscard]] std::string url() const;
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv).
[[nodiscard]] EnvironmentLookup processEnvironment();

// Whether a configuration file's proxy value has one of the shapes resolveProxy reads: "", "env"
// or http://…  (the rest is checked when a connection is made).
[[nodiscard]] bool isProxySetting(std::string_view setting);

// Resolves TransportSettings::proxy for a connection to `hub_host`: "" is a direct connection;
// "env" reads https_proxy, then HTTPS_PROXY, and connects directly when no_proxy (or NO_PROXY)
// lists the host ("*", an exact name, or a domain suffix like ".gov.vn" or "gov.vn"); anything
// else must be http://[user:password@]host[:port] (port 8080 when absent; a bare host:port is
// taken as http). Errors name the setting or variable and what is wrong with it.
[[nodiscard]] Result<std::optional<ProxyAddress>> resolveProxy(
    const std::string& setting, const std::string& hub_host, const EnvironmentLookup& environment);

}  // namespace cks::sync
