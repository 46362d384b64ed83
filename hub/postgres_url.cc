#include "hub/postgres_url.h"

#include <libpq-fe.h>

#include <memory>
#include <vector>

namespace cks::hub {
namespace {

// The password as written in the URL (percent-encoded), and the password=… query values.
std::vector<std::string> passwordsIn(std::string_view url) {
  std::vector<std::string> found;
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return found;
  const std::string_view rest = url.substr(scheme + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    if (colon != std::string_view::npos && colon + 1 < userinfo.size()) {
      found.emplace_back(userinfo.substr(colon + 1));
    }
  }
  const auto query = rest.find('?');
  if (query != std::string_view::npos) {
    std::string_view params = rest.substr(query + 1);
    while (!params.empty()) {
      const std::string_view param = params.substr(0, params.find('&'));
      if (param.rfind("password=", 0) == 0 && param.size() > 9) found.emplace_back(param.substr(9));
      params.remove_prefix(std::min(params.size(), param.size() + 1));
    }
  }
  return found;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

bool isPortList(const std::string& ports) {
  size_t start = 0;
  for (;;) {
    const auto comma = ports.find(',', start);
    const std::string port = ports.substr(start, comma - start);
    if (!port.empty()) {
      if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
        return false;
      }
      const int number = std::stoi(port);
      if (number < 1 || number > 65535) return false;
    }
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

bool isPostgresUrl(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string withoutPassword(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, scheme + 3));
  std::string_view rest = url.substr(scheme + 3);
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    out += userinfo.substr(0, userinfo.find(':'));
    out += authority.substr(at);
  } else {
    out += authority;
  }
  rest.remove_prefix(authority_end);
  const auto query = rest.find('?');
  out += rest.substr(0, query == std::string_view::npos ? rest.size() : query + 1);
  if (query == std::string_view::npos) return out;
  std::string_view params = rest.substr(query + 1);
  bool first = true;
  while (!params.empty()) {
    const std::string_view param = params.substr(0, params.find('&'));
    if (param.rfind("password=", 0) != 0) {
      if (!first) out += '&';
      out += param;
      first = false;
    }
    params.remove_prefix(std::min(params.size(), param.size() + 1));
  }
  if (first) out.pop_back();  // every parameter was a password: no '?' either
  return out;
}

Status checkPostgresUrl(const std::string& url) {
  const std::string shown = withoutPassword(url);
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &raw_error), &PQconninfoFree);
  if (!options) {
    // libpq quotes the URL, or the part it stumbled on, in its message.
    std::string why = raw_error ? raw_error : "out of memory";
    PQfreemem(raw_error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    why = replaceAll(why, url, shown);
    for (const auto& password : passwordsIn(url)) why = replaceAll(why, password, "***");
    return fail("bad PostgreSQL URL ", shown, ": ", why);
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val != nullptr && std::string_view(option->keyword) == "port" &&
        !isPortList(option->val)) {
      return fail("bad PostgreSQL URL ", shown, ": port \"", option->val,
                  "\" is not a TCP port from 1 to 65535");
    }
  }
  return ok();
}

}  // namespace cks::hub
