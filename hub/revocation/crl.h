// A certificate revocation list (RFC 5280, 5) as the hub keeps it: read from DER or PEM,
// believed only when one of the configured CAs signed it (IssuingCas) and it is still current,
// and compared with the one held so that an older list never replaces a newer one. What the
// hub does with each fetched list (kept, or refused and why) is a CrlOutcome. Pure functions
// over bytes; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/revocation.h"
#include "hub/revocation/issuing_cas.h"

namespace cks::hub {

// What became of one fetch of a list (docs/revocation.md, "Outcomes"). Every outcome but
// Accepted and Unchanged leaves the list held before in place.
enum class CrlOutcome {
  Accepted,      // newer than the one held: it replaced it
  Unchanged,     // the same list as the one held
  Unreachable,   // no answer, an HTTP error, too large
  Unreadable,    // not a CRL: truncated, garbage, an HTML page
  WrongIssuer,   // signed by a CA that is not configured
  BadSignature,  // its issuer's name, but not its issuer's key
  Expired,       // its nextUpdate has passed
  Older,         // older than the one held
};

// "accepted" | "unchanged" | "unreachable" | "unreadable" | "wrong_issuer" | "bad_signature" |
// "expired" | "older" (the wire names).
[[nodiscard]] std::string_view toString(CrlOutcome outcome);
[[nodiscard]] bool parseCrlOutcome(std::string_view text, CrlOutcome& out);

// One revoked certificate of a list.
struct RevokedEntry {
  std::string serial;  // as Certificate::serial writes it (lowercase hex, no leading zeros)
  TimePoint revoked_at{};
  std::optional<CrlReason> reason;  // the entry's reasonCode, when it has a known one
};

struct RevocationList {
  std::string issuer;  // RFC 4514, as Certificate::issuer writes it
  TimePoint this_update{};
  std::optional<TimePoint> next_update;
  std::string crl_number;  // the cRLNumber extension, lowercase hex; "" when absent
  std::vector<RevokedEntry> entries;
  std::vector<std::uint8_t> der;
};

// Why a list was refused, and the detail for the log ("signature does not verify with CN=…").
struct CrlRefusal {
  CrlOutcome outcome = CrlOutcome::Unreadable;
  std::string detail;
};

// Reads `bytes` (DER, or PEM "X509 CRL") and checks it: an issuer among `cas` whose key
// verifies the signature, and a nextUpdate not before `now`. A refusal says which check failed.
[[nodiscard]] tl::expected<RevocationList, CrlRefusal> readRevocationList(
    std::span<const std::uint8_t> bytes, const IssuingCas& cas, TimePoint now);

enum class Succession { Newer, Same, Older };

// Whether `candidate` is newer than `held`, of the same issuer: by cRLNumber when both carry
// one (RFC 5280, 5.2.3: it increases with each list), else by thisUpdate.
[[nodiscard]] Succession succession(const RevocationList& candidate, const RevocationList& held);

// The http:// URLs of the CRL distribution points of a DER certificate (LDAP and others left
// out: the hub fetches over HTTP); empty when it names none or does not parse.
[[nodiscard]] std::vector<std::string> crlDistributionUrls(std::span<const std::uint8_t> der);

}  // namespace cks::hub
