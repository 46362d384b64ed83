// Fuzz target: every message of sync protocol v1 as its decoder reads it (sync/protocol/
// codec.h): the hub decodes enrolment, renewal, push, pull and digest requests from agents, the
// agent decodes the hub's answers and error bodies. The first byte picks the message, the rest
// is its JSON. A message that decodes encodes to a text that decodes to the same message:
// encode(decode(encode(decode(x)))) == encode(decode(x)).
#include <string>
#include <string_view>

#include "sync/protocol/codec.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using cks::fuzz::require;

template <typename Decode>
void roundTrip(std::string_view json, Decode decode) {
  const auto message = decode(json);
  if (!message) return;
  const std::string encoded = cks::sync::encode(*message);
  const auto again = decode(encoded);
  require(again.has_value(), "an encoded message decodes");
  require(cks::sync::encode(*again) == encoded, "decode → encode is stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cks::sync;
  if (size == 0) return 0;
  const std::string_view json = cks::fuzz::text(data + 1, size - 1);
  switch (data[0] % 11) {
    case 0:
      roundTrip(json, decodeEnrollRequest);
      break;
    case 1:
      roundTrip(json, decodeEnrollResponse);
      break;
    case 2:
      roundTrip(json, decodeRenewRequest);
      break;
    case 3:
      roundTrip(json, decodeRenewResponse);
      break;
    case 4:
      roundTrip(json, decodePushRequest);
      break;
    case 5:
      roundTrip(json, decodePushResponse);
      break;
    case 6:
      roundTrip(json, decodePullRequest);
      break;
    case 7:
      roundTrip(json, decodePullResponse);
      break;
    case 8:
      roundTrip(json, decodeDigestRequest);
      break;
    case 9:
      roundTrip(json, decodeDigestResponse);
      break;
    default:
      roundTrip(json, decodeErrorBody);
      break;
  }
  return 0;
}
