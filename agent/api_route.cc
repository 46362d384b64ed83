#include "agent/api_route.h"

#include "common/bounded_read.h"

namespace cks::agent {

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
