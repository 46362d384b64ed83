// gzip for HTTP bodies (Content-Encoding: gzip), with zlib. Used by the transport; the sizes
// matter because an idle sync must stay within a few hundred bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cks::sync::internal {

// Request bodies shorter than this go uncompressed: gzip's 18-byte frame would make them larger.
inline constexpr std::size_t kGzipThreshold = 512;

// The gzip member (RFC 1952) holding `data`.
[[nodiscard]] Result<std::string> gzipCompress(std::string_view data);

// The data of a gzip (or zlib) stream; refuses output longer than `max_size` (a decompression
// bomb) and trailing garbage.
[[nodiscard]] Result<std::string> gzipDecompress(std::string_view data, std::size_t max_size);

}  // namespace cks::sync::internal
