// Reading a request body no larger than a program accepts, whatever its Content-Length says
// (a chunked body has none): one byte more than allowed says "too large" without reading, or
// inflating, an unbounded body into memory.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace cks {

// Appends at most `limit` + 1 bytes of `in` to `out`; false when there were more than `limit`.
inline bool readCapped(std::istream& in, std::size_t limit, std::string& out) {
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    out.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit) return false;
  }
  return true;
}

enum class BodyRead { Ok, TooLarge, BadEncoding };

// `raw`, a body as it came, decoded into `body` as its Content-Encoding `encoding` says
// ("identity" or none: as is; "gzip": inflated), at most `limit` bytes once inflated too. For
// BadEncoding (another encoding, or not gzip), `body` is the message saying why. Pure: the
// hub's sync server reads every agent's body with it, and tests/fuzz/gzip_body.cc fuzzes it.
[[nodiscard]] BodyRead decodeBody(std::string& raw, std::string_view encoding, std::size_t limit,
                                  std::string& body);

}  // namespace cks
