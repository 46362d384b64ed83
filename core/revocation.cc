#include "core/revocation.h"

#include <array>
#include <utility>

#include "core/labels.h"
#include "core/time_format.h"
#include "core/wire_names.h"

namespace cks {
namespace {

using wire::allOf;
using wire::nameOf;
using wire::valueOf;

constexpr std::array<std::pair<RevocationState, std::string_view>, 3> kStates{{
    {RevocationState::Good, "good"},
    {RevocationState::Revoked, "revoked"},
    {RevocationState::Unknown, "unknown"},
}};

constexpr std::array<std::pair<CrlReason, std::string_view>, 10> kReasons{{
    {CrlReason::Unspecified, "unspecified"},
    {CrlReason::KeyCompromise, "keyCompromise"},
    {CrlReason::CaCompromise, "cACompromise"},
    {CrlReason::AffiliationChanged, "affiliationChanged"},
    {CrlReason::Superseded, "superseded"},
    {CrlReason::CessationOfOperation, "cessationOfOperation"},
    {CrlReason::CertificateHold, "certificateHold"},
    {CrlReason::RemoveFromCrl, "removeFromCRL"},
    {CrlReason::PrivilegeWithdrawn, "privilegeWithdrawn"},
    {CrlReason::AaCompromise, "aACompromise"},
}};

constexpr std::array<std::pair<ChainStatus, std::string_view>, 3> kChains{{
    {ChainStatus::Government, "government"},
    {ChainStatus::Other, "other"},
    {ChainStatus::Unknown, "unknown"},
}};

// A date as people read it, in Vietnam time.
std::string shownDate(TimePoint at) { return formatLocalDate(at, vietnamTimeZone()); }

}  // namespace

std::string_view toString(RevocationState state) { return nameOf(kStates, state); }
bool parseRevocationState(std::string_view text, RevocationState& out) {
  return valueOf(kStates, text, out);
}

std::string_view toString(CrlReason reason) { return nameOf(kReasons, reason); }
bool parseCrlReason(std::string_view text, CrlReason& out) { return valueOf(kReasons, text, out); }
std::optional<CrlReason> crlReasonOfCode(int code) {
  for (const auto& [reason, name] : kReasons) {
    if (static_cast<int>(reason) == code) return reason;
  }
  return std::nullopt;
}
std::vector<CrlReason> allCrlReasons() { return allOf(kReasons); }

std::string_view toString(ChainStatus status) { return nameOf(kChains, status); }
bool parseChainStatus(std::string_view text, ChainStatus& out) {
  return valueOf(kChains, text, out);
}

RevocationStatus revocationStatusAt(const std::optional<HeldListing>& listing, TimePoint now) {
  if (!listing) return {};
  const bool current = !listing->next_update || now <= *listing->next_update;
  const bool on_hold = listing->reason == CrlReason::CertificateHold;
  if (listing->listed && (current || !on_hold)) {
    return {RevocationState::Revoked, listing->this_update, listing->revoked_at, listing->reason};
  }
  if (!current) return {RevocationState::Unknown, listing->next_update, {}, {}};
  return {RevocationState::Good, listing->this_update, {}, {}};
}

RevocationStatus toldStatusAt(const RevocationStatus& told,
                              const std::optional<TimePoint>& next_update, TimePoint now) {
  if (told.state == RevocationState::Unknown) return told;
  HeldListing listing{told.as_of.value_or(TimePoint{}), next_update, false, {}, std::nullopt};
  if (told.state == RevocationState::Revoked) {
    listing.listed = true;
    listing.revoked_at = told.revoked_at.value_or(TimePoint{});
    listing.reason = told.reason;
  }
  return revocationStatusAt(listing, now);
}

std::string describe(const RevocationStatus& status, Language language) {
  switch (status.state) {
    case RevocationState::Revoked: {
      const std::string date = status.revoked_at ? shownDate(*status.revoked_at) : "";
      if (!status.reason) return message(language, "revocation.revoked_on", {date});
      return message(language, "revocation.revoked_on_because",
                     {date, label(*status.reason, language)});
    }
    case RevocationState::Good:
      return message(language, "revocation.good_as_of",
                     {status.as_of ? shownDate(*status.as_of) : ""});
    case RevocationState::Unknown:
      break;
  }
  if (!status.as_of) return label(RevocationState::Unknown, language);
  return message(language, "revocation.unknown_since", {shownDate(*status.as_of)});
}

}  // namespace cks
