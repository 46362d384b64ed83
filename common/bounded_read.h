// Reading a request body no larger than a program accepts, whatever its Content-Length says
// (a chunked body has none): one byte more than allowed says "too large" without reading, or
// inflating, an unbounded body into memory.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

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

}  // namespace cks
