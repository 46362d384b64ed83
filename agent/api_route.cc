#include "agent/api_route.h"

#include "common/bounded_read.h"

namespace cks::agent {
namespace {

// The segment of `path` from `at` to the next '/', and where the one after it starts (npos
// after the last).
std::string_view segment(std::string_view path, size_t& at) {
  const size_t slash = path.find('/', at);
  const std::string_view part =
      path.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);
  at = slash == std::string_view::npos ? std::string_view::npos : slash + 1;
  return part;
}

}  // namespace

std::optional<PathParams> matchPath(std::string_view pattern, std::string_view path) {
  PathParams params;
  size_t in_pattern = 0, in_path = 0;
  while (in_pattern != std::string_view::npos && in_path != std::string_view::npos) {
    const std::string_view expected = segment(pattern, in_pattern);
    if (expected.size() > 5 && expected.front() == '{' && expected.ends_with("...}")) {
      params.emplace(expected.substr(1, expected.size() - 5), path.substr(in_path));
      return params;
    }
    const std::string_view actual = segment(path, in_path);
    if (expected.size() >= 2 && expected.front() == '{' && expected.back() == '}') {
      params.emplace(expected.substr(1, expected.size() - 2), actual);
    } else if (expected != actual) {
      return std::nullopt;
    }
  }
  // The path ended where a pattern's rest begins: the rest is empty.
  if (in_pattern != std::string_view::npos) {
    size_t after = in_pattern;
    const std::string_view expected = segment(pattern, after);
    if (after == std::string_view::npos && expected.size() > 5 && expected.front() == '{' &&
        expected.ends_with("...}")) {
      params.emplace(expected.substr(1, expected.size() - 5), "");
      return params;
    }
  }
  // Both ended together: as many segments in the path as in the pattern.
  if (in_pattern != in_path) return std::nullopt;
  return params;
}

ApiReply notAnEndpoint(std::string_view method, std::string_view path) {
  return apiError(
      404, "not_found",
      std::string(method) + " " + std::string(path) + " is not an endpoint of the local API");
}

const std::string& ApiCall::param(std::string_view name) const {
  static const std::string kNone;
  const auto found = params.find(name);
  return found == params.end() ? kNone : found->second;
}

Language ApiCall::language(Language fallback) const {
  Language language = fallback;
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name == "lang") (void)parseLanguage(value, language);
  }
  return language;
}

tl::expected<std::string, ApiReply> ApiCall::body(std::size_t limit, const std::string& why) const {
  std::string text;
  if (request.getContentLength() > std::streamsize(limit) ||
      !readCapped(request.stream(), limit, text)) {
    return tl::unexpected(apiError(413, "too_large", why));
  }
  return text;
}

}  // namespace cks::agent
