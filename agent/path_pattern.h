// A route's path pattern of the local API (agent/api_route.h): "/v1/alerts/{id}/ack". A
// `{name}` matches one path segment (empty too), a last `{name...}` the rest of the path
// (nothing too). Pure: every request's path goes through it (tests/fuzz/local_api.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cks::agent {

// The values of a pattern's `{name}` segments, by name.
using PathParams = std::map<std::string, std::string, std::less<>>;

// The parameters of `path` when it matches `pattern` segment by segment, else nullopt.
[[nodiscard]] std::optional<PathParams> matchPath(std::string_view pattern, std::string_view path);

}  // namespace cks::agent
