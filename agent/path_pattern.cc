#include "agent/path_pattern.h"

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

}  // namespace cks::agent
