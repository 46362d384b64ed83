// Fuzz target: a gzip body as each side inflates it. The hub reads every agent's request body
// with common/bounded_read.h's decodeBody (Content-Encoding: gzip, at most [server] max_body
// once inflated); the agent inflates the hub's answers with sync/client/internal/gzip.h's
// gzipDecompress. Neither returns more than its bound; when both read the bytes they read the
// same data; and what the hub inflates goes on to the push decoder, as in the hub.
#include <string>

#include "common/bounded_read.h"
#include "sync/client/internal/gzip.h"
#include "sync/protocol/codec.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Small bounds, so that bombs and the limit's edge are within the fuzzer's reach.
  constexpr std::size_t kLimit = 64 * 1024;
  std::string raw(cks::fuzz::text(data, size));
  std::string hub;
  const cks::BodyRead read = cks::decodeBody(raw, "gzip", kLimit, hub);
  if (read == cks::BodyRead::Ok) require(hub.size() <= kLimit, "the hub's body within its bound");
  if (read == cks::BodyRead::BadEncoding) require(!hub.empty(), "a bad body says why");

  const auto agent = cks::sync::internal::gzipDecompress(cks::fuzz::text(data, size), kLimit);
  if (agent) {
    require(agent->size() <= kLimit, "the agent's answer within its bound");
    if (read == cks::BodyRead::Ok) require(*agent == hub, "both sides inflate the same data");
    const auto again = cks::sync::internal::gzipCompress(*agent);
    require(again.has_value(), "inflated data compresses");
    const auto back = cks::sync::internal::gzipDecompress(*again, kLimit);
    require(back.has_value() && *back == *agent, "compress → decompress gives the data back");
  }
  if (read == cks::BodyRead::Ok) (void)cks::sync::decodePushRequest(hub);
  return 0;
}
