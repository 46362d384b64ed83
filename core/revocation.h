// Whether a certificate still stands (issue 16): its revocation status as the issuing CA's
// revocation list last told it, and its chain status (issued under the government's roots or
// not). The hub learns revocation lists (hub/revocation/); these types are what it and the
// agents say about one certificate, with the time the information is as of. Pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/messages.h"

namespace cks {

enum class RevocationState { Good, Revoked, Unknown };

// "good" | "revoked" | "unknown" (the wire names).
[[nodiscard]] std::string_view toString(RevocationState state);
// False for an unknown name, leaving `out` alone.
[[nodiscard]] bool parseRevocationState(std::string_view text, RevocationState& out);

// A revocation list entry's reason (RFC 5280, 5.3.1: CRLReason). The wire names are the RFC's
// ("keyCompromise"); the numbers are its codes (7 is unused).
enum class CrlReason {
  Unspecified = 0,
  KeyCompromise = 1,
  CaCompromise = 2,
  AffiliationChanged = 3,
  Superseded = 4,
  CessationOfOperation = 5,
  CertificateHold = 6,
  RemoveFromCrl = 8,
  PrivilegeWithdrawn = 9,
  AaCompromise = 10,
};

[[nodiscard]] std::string_view toString(CrlReason reason);
[[nodiscard]] bool parseCrlReason(std::string_view text, CrlReason& out);
// The reason of RFC 5280 code `code`; nullopt for a code the RFC does not define.
[[nodiscard]] std::optional<CrlReason> crlReasonOfCode(int code);
[[nodiscard]] std::vector<CrlReason> allCrlReasons();

// Issued under the configured government roots, under another CA, or not known (no roots yet,
// an unreadable certificate).
enum class ChainStatus { Government, Other, Unknown };

// "government" | "other" | "unknown".
[[nodiscard]] std::string_view toString(ChainStatus status);
[[nodiscard]] bool parseChainStatus(std::string_view text, ChainStatus& out);

// A certificate's revocation status. `as_of` is the thisUpdate of the list that said so; for
// Unknown it is when the information stopped being current (the list's nextUpdate), or unset
// when no list of its issuer was ever held.
struct RevocationStatus {
  RevocationState state = RevocationState::Unknown;
  std::optional<TimePoint> as_of;
  std::optional<TimePoint> revoked_at;  // Revoked only
  std::optional<CrlReason> reason;      // Revoked only, when the list gives one

  friend bool operator==(const RevocationStatus&, const RevocationStatus&) = default;
};

// What the list held for a certificate's issuer says of it: its thisUpdate and nextUpdate,
// and the certificate's entry if listed.
struct HeldListing {
  TimePoint this_update{};
  std::optional<TimePoint> next_update;  // a list without one is current until a newer one
  bool listed = false;
  TimePoint revoked_at{};
  std::optional<CrlReason> reason;
};

// The status at `now` from `listing` (nullopt: no list of the issuer held). A list past its
// nextUpdate no longer vouches for anything: a certificate it does not list is Unknown as of that
// nextUpdate, never Good. A revocation is final (RFC 5280, 5.3.1), so a listed certificate stays
// Revoked; one only on hold (certificateHold may be lifted) turns Unknown like the rest.
[[nodiscard]] RevocationStatus revocationStatusAt(const std::optional<HeldListing>& listing,
                                                  TimePoint now);

// A status told earlier (an agent's, from the hub: `told`, read from a list whose nextUpdate was
// `next_update`) at `now`: the same rule as revocationStatusAt, so that an agent offline past the
// list's nextUpdate shows good as unknown since then, never good.
[[nodiscard]] RevocationStatus toldStatusAt(const RevocationStatus& told,
                                            const std::optional<TimePoint>& next_update,
                                            TimePoint now);

// The status as people read it: "Đã bị thu hồi ngày 01/12/2026 (Khóa bí mật bị lộ)", "Chưa bị
// thu hồi (theo danh sách ngày …)", "Chưa rõ từ ngày 05/12/2026"; dates in Vietnam time.
[[nodiscard]] std::string describe(const RevocationStatus& status, Language language);

}  // namespace cks
