// The PostgreSQL URL of `[store] url` (postgresql://user[:password]@host[:port]/dbname?…, the
// libpq URI form; a Unix socket folder goes in ?host=/path): recognising it, checking it without
// connecting, and showing it without its password, which must never reach a message or a log.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cks::hub {

// True for postgresql://… and postgres://….
[[nodiscard]] bool isPostgresUrl(std::string_view url);

// `url` with any password removed (user:secret@ → user@, and a password=… query parameter),
// for messages. Works on any scheme://… text; other text is returned as it is.
[[nodiscard]] std::string withoutPassword(std::string_view url);

// Checks what can be checked without connecting: the URI syntax and parameter names (libpq's
// own parser) and the ports. The error names the URL without its password.
[[nodiscard]] Status checkPostgresUrl(const std::string& url);

}  // namespace cks::hub
