// The local API's routing: a route is a method and a path pattern ("/v1/alerts/{id}/ack") with
// its endpoint; the first route of a table whose method and pattern match a request answers it.
// A `{name}` in a pattern matches one path segment (empty too: the endpoint judges its value),
// a last `{name...}` the rest of the path (nothing too); method "*" matches any method.
// No route: 404, whatever the method (a known path with another method is no endpoint either).
// Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/URI.h>
#include <tl/expected.hpp>

#include "agent/path_pattern.h"
#include "agent/request_api.h"
#include "core/messages.h"

namespace cks::agent {

template <typename Endpoint>
struct Route {
  std::string_view method;   // "GET", "POST", "*"
  std::string_view pattern;  // "/v1/alerts/{id}/ack"
  Endpoint endpoint;
};

template <typename Endpoint>
struct RouteMatch {
  const Route<Endpoint>* route;
  PathParams params;
};

// The first route of `table` for `method` and `path`, or nullopt (404).
template <typename Endpoint>
[[nodiscard]] std::optional<RouteMatch<Endpoint>> findRoute(
    const std::vector<Route<Endpoint>>& table, std::string_view method, std::string_view path) {
  for (const auto& route : table) {
    if (route.method != method && route.method != "*") continue;
    if (auto params = matchPath(route.pattern, path)) return RouteMatch<Endpoint>{&route, *params};
  }
  return std::nullopt;
}

// 404 {"error": "not_found"}: `method path` is no endpoint of the local API.
[[nodiscard]] ApiReply notAnEndpoint(std::string_view method, std::string_view path);

// One request as an endpoint sees it: the HTTP request, its URI and the path's parameters.
struct ApiCall {
  Poco::Net::HTTPServerRequest& request;
  const Poco::URI& uri;
  PathParams params;

  // The value of the path's `{name}` ("" when the route has none).
  [[nodiscard]] const std::string& param(std::string_view name) const;
  // ?lang=en|vi, else `fallback` (the agent's language).
  [[nodiscard]] Language language(Language fallback) const;
  // The whole body when it is at most `limit` bytes, else 413 {"error": "too_large", "message":
  // why}. A chunked body announces no length: it is read up to one byte past `limit`, never
  // whole, so an endless body costs the agent `limit` bytes of memory.
  [[nodiscard]] tl::expected<std::string, ApiReply> body(std::size_t limit,
                                                         const std::string& why) const;
};

}  // namespace cks::agent
