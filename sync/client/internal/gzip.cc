#include "sync/client/internal/gzip.h"

#include <zlib.h>

#include <array>
#include <limits>

namespace cks::sync::internal {
namespace {

// zlib's interface predates const: it never writes through next_in.
Bytef* input(std::string_view data) {
  return reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
}

}  // namespace

Result<std::string> gzipCompress(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max()) return fail("gzip: body too large");
  z_stream stream{};
  // 15 + 16: the largest window, wrapped in a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return fail("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = input(data);
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return fail("gzip: deflate failed (", std::to_string(result), ")");
  return out;
}

Result<std::string> gzipDecompress(std::string_view data, std::size_t max_size) {
  if (data.size() > std::numeric_limits<uInt>::max()) return fail("gunzip: body too large");
  z_stream stream{};
  // 15 + 32: detect gzip or zlib framing from the header.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return fail("gunzip: inflateInit2 failed");
  stream.next_in = input(data);
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::array<char, 16384> chunk{};
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = inflate(&stream, Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END) break;
    out.append(chunk.data(), chunk.size() - stream.avail_out);
    if (out.size() > max_size) {
      inflateEnd(&stream);
      return fail("gunzip: more than ", std::to_string(max_size), " bytes once decompressed");
    }
    // No progress with input left means the stream is truncated.
    if (result == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      result = Z_BUF_ERROR;
    }
  }
  const uInt left = stream.avail_in;
  inflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return fail("gunzip: not a complete gzip stream (", std::to_string(result), ")");
  }
  if (left != 0) return fail("gunzip: ", std::to_string(left), " bytes after the gzip stream");
  return out;
}

}  // namespace cks::sync::internal
