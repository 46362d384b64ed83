#include "sync/client/proxy_setting.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "core/text.h"

namespace cks::sync {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// no_proxy as curl and wget read it: comma-separated names, a leading dot or "*." optional,
// an optional :port ignored, "*" for every host.
bool bypassed(const std::string& no_proxy, const std::string& hub_host) {
  const std::string host = lower(hub_host);
  std::stringstream list(no_proxy);
  std::string entry;
  while (std::getline(list, entry, ',')) {
    entry = lower(std::string(trim(entry, kSpaces)));
    if (entry == "*") return true;
    if (entry.rfind("*.", 0) == 0) entry.erase(0, 1);
    // A port is ignored, but an IPv6 address keeps its colons.
    if (const auto colon = entry.rfind(':');
        colon != std::string::npos && entry.find(':') == colon) {
      entry.erase(colon);
    }
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with("." + entry)) return true;
  }
  return false;
}

Result<ProxyAddress> parseProxy(const std::string& value, const std::string& where) {
  std::string text(trim(value, kSpaces));
  if (const auto scheme_end = text.find("://"); scheme_end != std::string::npos) {
    const std::string scheme = lower(text.substr(0, scheme_end));
    if (scheme != "http") {
      return fail(
          where, ": proxy scheme \"", scheme,
          "\" is not supported (use http://host:port: the tunnel to the hub is TLS anyway)");
    }
    text.erase(0, scheme_end + 3);
  }
  if (const auto slash = text.find('/'); slash != std::string::npos) text.erase(slash);
  ProxyAddress proxy;
  if (const auto at = text.rfind('@'); at != std::string::npos) {
    const std::string user_info = text.substr(0, at);
    text.erase(0, at + 1);
    const auto colon = user_info.find(':');
    try {
      Poco::URI::decode(user_info.substr(0, colon), proxy.username);
      if (colon != std::string::npos) {
        Poco::URI::decode(user_info.substr(colon + 1), proxy.password);
      }
    } catch (const Poco::Exception& e) {
      return fail(where, ": bad credentials: ", e.message());
    }
  }
  std::string port;
  if (!text.empty() && text.front() == '[') {  // [IPv6]:port
    const auto close = text.find(']');
    if (close == std::string::npos) return fail(where, ": unbalanced [ in \"", value, "\"");
    proxy.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return fail(where, ": bad host in \"", value, "\"");
      port = text.substr(close + 2);
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    proxy.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  } else {
    proxy.host = text;
  }
  if (proxy.host.empty()) return fail(where, ": no host in \"", value, "\"");
  proxy.port = 8080;  // the proxy convention (and cpprestsdk's default)
  if (!port.empty()) {
    const bool digits =
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    const long number = digits && port.size() <= 5 ? std::stol(port) : 0;
    if (number < 1 || number > 65535) {
      return fail(where, ": bad port \"", port, "\" in \"", value, "\"");
    }
    proxy.port = static_cast<int>(number);
  }
  return proxy;
}

}  // namespace

std::string ProxyAddress::url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

EnvironmentLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read-only
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool isProxySetting(std::string_view setting) {
  return setting.empty() || setting == "env" || setting.starts_with("http://");
}

Result<std::optional<ProxyAddress>> resolveProxy(const std::string& setting,
                                                 const std::string& hub_host,
                                                 const EnvironmentLookup& environment) {
  if (trim(setting, kSpaces).empty()) return std::nullopt;
  if (setting != "env") {
    auto proxy = parseProxy(setting, "proxy setting");
    if (!proxy) return tl::unexpected(proxy.error());
    return std::optional<ProxyAddress>(std::move(*proxy));
  }
  // Lower case first, as curl does: it is the spelling most tools write.
  std::string variable = "https_proxy";
  auto value = environment(variable);
  if (!value || trim(*value, kSpaces).empty()) {
    variable = "HTTPS_PROXY";
    value = environment(variable);
  }
  if (!value || trim(*value, kSpaces).empty()) return std::nullopt;
  auto no_proxy = environment("no_proxy");
  if (!no_proxy) no_proxy = environment("NO_PROXY");
  if (no_proxy && bypassed(*no_proxy, hub_host)) return std::nullopt;
  auto proxy = parseProxy(*value, variable);
  if (!proxy) return tl::unexpected(proxy.error());
  return std::optional<ProxyAddress>(std::move(*proxy));
}

}  // namespace cks::sync
