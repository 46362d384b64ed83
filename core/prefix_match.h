// How people name a certificate or a request on a command line, and finding the one they mean.
// A certificate: its SHA-256 fingerprint as full hex, in the colon-separated form
// `openssl x509 -fingerprint -sha256` prints (any case), or a prefix of at least 8 hex digits
// that only one certificate starts with. A request: its id (a UUID) or such a prefix. Pure
// functions over the candidates handed in; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cks {

// The shortest prefix accepted: 8 hex digits (32 bits) make a clash within one agency's or
// one province's few thousand certificates unlikely, and an ambiguous one is refused anyway.
inline constexpr size_t kShortestPrefix = 8;

struct PrefixMatch {
  enum class Outcome {
    Found,      // `found` is the one candidate meant
    NotFound,   // well formed, no candidate matches
    Ambiguous,  // `candidates` (more than one) all match
    Malformed,  // not hex, or shorter than kShortestPrefix
  };
  Outcome outcome = Outcome::NotFound;
  std::string found;
  std::vector<std::string> candidates;
};

// `typed` in the canonical form of fingerprints (lowercase hex, no colons or spaces), or
// nullopt when it holds anything but hex digits and colons.
[[nodiscard]] std::optional<std::string> normalizeFingerprint(std::string_view typed);

// The fingerprint among `fingerprints` (lowercase hex, as Certificate holds them) that `typed`
// names: equal, or the only one it is a prefix of. Duplicates in `fingerprints` count once.
[[nodiscard]] PrefixMatch matchFingerprint(std::string_view typed,
                                           const std::vector<std::string>& fingerprints);

// The request id among `ids` that `typed` names: equal (case ignored), or the only one it is a
// prefix of (at least 8 characters of hex and '-').
[[nodiscard]] PrefixMatch matchRequestId(std::string_view typed,
                                         const std::vector<std::string>& ids);

}  // namespace cks
