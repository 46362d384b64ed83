#include "sync/client/hub_transport.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <fstream>

#include "sync/client/proxy_setting.h"

namespace cks::sync {

ErrorCode TransportError::code() const {
  switch (kind) {
    case Kind::Unreachable:
    case Kind::Timeout:
      return ErrorCode::Unavailable;
    case Kind::Tls:
      return ErrorCode::FailedPrecondition;
    case Kind::Other:
      break;
  }
  return ErrorCode::Internal;
}

const char* kindName(TransportError::Kind kind) {
  switch (kind) {
    case TransportError::Kind::Unreachable:
      return "unreachable";
    case TransportError::Kind::Tls:
      return "tls";
    case TransportError::Kind::Timeout:
      return "timeout";
    case TransportError::Kind::Other:
      break;
  }
  return "other";
}

Status checkTransportSettings(const TransportSettings& settings) {
  Poco::URI uri;
  try {
    uri = Poco::URI(settings.hub_url);
  } catch (const Poco::Exception& e) {
    return fail("hub_url \"", settings.hub_url, "\": ", e.message());
  }
  if (uri.getScheme() != "https" || uri.getHost().empty()) {
    return fail("hub_url \"", settings.hub_url, "\": expected https://host:port");
  }
  for (const auto& [name, path] : {std::pair{"hub_ca_file", &settings.hub_ca_file},
                                   std::pair{"client_cert_file", &settings.client_cert_file},
                                   std::pair{"client_key_file", &settings.client_key_file}}) {
    if (path->empty()) return fail(name, ": not set");
    if (!std::ifstream(*path)) return fail(name, " ", *path, ": cannot be read");
  }
  if (settings.timeout.count() <= 0) return fail("timeout: must be at least one second");
  if (auto proxy = resolveProxy(settings.proxy, uri.getHost(), processEnvironment()); !proxy) {
    return tl::unexpected(proxy.error());
  }
  return ok();
}

}  // namespace cks::sync
