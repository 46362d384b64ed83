// HTTP/1.1 framing for the tray's local API clients that speak it themselves (POSIX sockets):
// the request text and the parsing of a whole response (Content-Length, chunked, or to the end).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "tray/core/local_api_connection.h"

namespace cks::tray {

// "METHOD path HTTP/1.1" with Host 127.0.0.1:port, the bearer secret (none when empty: the
// hello, proving_connection.h), Connection: close and, for a body, its JSON content type and
// length.
[[nodiscard]] std::string httpRequest(const std::string& method, const std::string& path, int port,
                                      const std::string& secret, const std::string& body);

// True when `received` holds a whole response by its framing (Content-Length reached, or the
// last chunk); a response framed by the end of the connection is complete only at that end.
[[nodiscard]] bool httpResponseComplete(std::string_view received);

// Parses a complete response (the connection was read to its end). An error when the status
// line or the framing is broken or the body is shorter than announced.
[[nodiscard]] Result<HttpAnswer> parseHttpResponse(std::string_view response);

}  // namespace cks::tray
