// Fuzz target: what the local API reads of every request before an endpoint runs: the request
// URI (Poco::URI: path and query, ?lang=), the route's path pattern matched against the path
// (agent/path_pattern.h, matchPath), and GET /v1/hello's nonce and proof (agent/api_proof.h).
// Input: a route pattern, a newline, the request URI. The endpoints' own bodies are read by
// store-backed classes (docs/fuzzing.md: not fuzzed yet); the merger plan is
// merger_plan.cc.
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <string>

#include "agent/api_proof.h"
#include "agent/path_pattern.h"
#include "core/messages.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = cks::fuzz::text(data, size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view pattern = input.substr(0, newline);
  const std::string target(input.substr(newline + 1));

  std::string path;
  try {
    const Poco::URI uri(target);
    path = uri.getPath();
    cks::Language language = cks::Language::Vietnamese;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      if (name == "lang") (void)cks::parseLanguage(value, language);
      if (name == "nonce" && cks::agent::validHelloNonce(value)) {
        require(cks::agent::localApiProof("secret", value).size() == 64, "a proof is SHA-256 hex");
      }
    }
  } catch (const Poco::Exception&) {
    return 0;  // the server answers 500 with the reason; nothing is routed
  }

  const auto params = cks::agent::matchPath(pattern, path);
  if (pattern.find('{') == std::string_view::npos) {
    require(params.has_value() == (pattern == path), "a plain pattern matches only itself");
  }
  if (params && pattern.find("...}") == std::string_view::npos) {
    for (const auto& [name, value] : *params) {
      require(value.find('/') == std::string::npos, "a {name} is one segment");
    }
  }
  if (path.find('{') == std::string::npos) {
    require(cks::agent::matchPath(path, path).has_value(), "a path matches itself as a pattern");
  }
  return 0;
}
