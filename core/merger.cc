#include "core/merger.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "core/agency_code.h"
#include "core/prefix_match.h"
#include "core/utf8.h"
#include "core/wire_names.h"

namespace cks {
namespace {

constexpr std::array<std::pair<MergerAction, std::string_view>, 4> kActions{{
    {MergerAction::Keep, "keep"},
    {MergerAction::Change, "change"},
    {MergerAction::Revoke, "revoke"},
    {MergerAction::Review, "review"},
}};

constexpr std::array<std::pair<MergerWhy, std::string_view>, 7> kWhys{{
    {MergerWhy::SurvivingName, "surviving_name"},
    {MergerWhy::Chosen, "chosen"},
    {MergerWhy::OtherUnit, "other_unit"},
    {MergerWhy::Personal, "personal"},
    {MergerWhy::PersonalSameUnit, "personal_same_unit"},
    {MergerWhy::Unused, "unused"},
    {MergerWhy::Device, "device"},
}};

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

bool sameUnit(const std::string& folded_name, const Certificate& certificate, bool by_cn) {
  if (by_cn) return foldUnitName(certificate.common_name) == folded_name;
  if (foldUnitName(certificate.organization) == folded_name) return true;
  return std::any_of(certificate.organizational_units.begin(),
                     certificate.organizational_units.end(),
                     [&](const std::string& ou) { return foldUnitName(ou) == folded_name; });
}

// A request of `kind` about certificate `c`, on the token it was seen on.
Request requestAbout(const InventoryCertificate& c, RequestKind kind) {
  Request request;
  request.kind = kind;
  request.subscriber = c.certificate.kind;
  request.fingerprint_sha256 = c.certificate.fingerprint_sha256;
  request.token_serial = c.token_serial;
  return request;
}

Request changeRequest(const InventoryCertificate& c, ChangeCase change_case, std::string field,
                      const std::string& value) {
  Request request = requestAbout(c, RequestKind::ChangeOfInformation);
  request.change_case = change_case;
  request.fields[std::move(field)] = value;
  return request;
}

Request revocationRequest(const InventoryCertificate& c, RevocationReason reason) {
  Request request = requestAbout(c, RequestKind::Revocation);
  request.revocation_reason = reason;
  return request;
}

// The organisation certificate to carry a unit on: the one that lasts longest.
bool lastsLonger(const InventoryCertificate* a, const InventoryCertificate* b) {
  return a->certificate.not_after > b->certificate.not_after;
}

}  // namespace

std::string_view toString(MergerAction action) { return wire::nameOf(kActions, action); }
std::string_view toString(MergerWhy why) { return wire::nameOf(kWhys, why); }
bool parseMergerAction(std::string_view text, MergerAction& out) {
  return wire::valueOf(kActions, text, out);
}

std::string foldUnitName(std::string_view name) {
  std::string folded = lowerVietnamese(name);
  // Both placements of the tone mark on "Ủy" are in use.
  replaceAll(folded, "ủy ban nhân dân", "ubnd");
  replaceAll(folded, "uỷ ban nhân dân", "ubnd");
  std::string out;
  for (const char c : folded) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

MergerPlanning planMerger(const Merger& merger, std::span<const InventoryCertificate> certificates,
                          const MergerPolicy& policy, TimePoint now) {
  MergerPlanning planning;
  std::vector<Refusal>& refusals = planning.refusals;
  MergerPlan& plan = planning.plan;
  plan.merger = merger;
  plan.policy = policy;
  plan.made_at = now;

  // The units and their names.
  if (auto code = AgencyCode::parse(merger.into.code); !code) {
    refusals.push_back({"merger.code_invalid", {{merger.into.code}, {code.error().message}}});
  }
  if (foldUnitName(merger.into.name).empty()) refusals.push_back({"merger.name_missing", {}});
  if (merger.from.empty()) refusals.push_back({"merger.from_missing", {}});
  std::set<std::string> codes;
  for (const MergerUnit& unit : merger.from) {
    if (auto code = AgencyCode::parse(unit.code); !code) {
      refusals.push_back({"merger.code_invalid", {{unit.code}, {code.error().message}}});
    }
    if (foldUnitName(unit.name).empty()) {
      refusals.push_back({"merger.unit_name_missing", {{unit.code}}});
    }
    if (!codes.insert(unit.code).second) {
      refusals.push_back({"merger.code_repeated", {{unit.code}}});
    }
  }
  if (!refusals.empty()) return planning;

  const std::string new_name = foldUnitName(merger.into.name);
  for (const MergerUnit& unit : merger.from) {
    if (foldUnitName(unit.name) == new_name) {
      plan.surviving_unit = unit.code;
      break;
    }
  }

  // Each valid certificate to its unit: organisation certificates by CN, others by O or OU.
  // The first unit listed wins if names repeat (they should not).
  struct Matched {
    const InventoryCertificate* certificate;
    size_t unit;
  };
  std::vector<Matched> organizations;
  std::vector<Matched> others;
  const auto unused = [&](const InventoryCertificate& c) {
    return c.last_seen < now - std::chrono::days(policy.unused_days);
  };
  for (const InventoryCertificate& c : certificates) {
    if (!c.certificate.parsed() || c.certificate.is_ca) continue;
    const bool organization = c.certificate.kind == SubscriberKind::Organization;
    std::optional<size_t> unit;
    for (size_t u = 0; u < merger.from.size() && !unit; ++u) {
      if (sameUnit(foldUnitName(merger.from[u].name), c.certificate, organization)) unit = u;
    }
    if (!unit) {
      if (c.certificate.not_after > now) plan.unmatched.push_back(c);
      continue;
    }
    if (c.certificate.not_after <= now) {
      plan.expired.push_back(c);
      continue;
    }
    (organization ? organizations : others).push_back({&c, *unit});
  }

  // The organisation certificate that goes on: the chosen one, else the surviving unit's,
  // else the first listed unit's (seed 004's example picks the first ward), preferring a token
  // seen lately and then the latest expiry.
  const InventoryCertificate* kept = nullptr;
  if (!merger.keep.empty()) {
    // Named as every --cert is: hex, openssl's colon form, or a unique prefix (prefix_match.h).
    std::vector<std::string> fingerprints;
    for (const Matched& m : organizations) {
      fingerprints.push_back(m.certificate->certificate.fingerprint_sha256);
    }
    const PrefixMatch match = matchFingerprint(merger.keep, fingerprints);
    if (match.outcome == PrefixMatch::Outcome::Malformed) {
      refusals.push_back({"requests.cert_malformed", {{merger.keep}}});
      return planning;
    }
    if (match.outcome == PrefixMatch::Outcome::Ambiguous) {
      std::string candidates;
      for (const auto& fingerprint : match.candidates) candidates += "\n  " + fingerprint;
      refusals.push_back({"requests.cert_ambiguous", {{merger.keep}, {candidates}}});
      return planning;
    }
    for (const Matched& m : organizations) {
      if (match.outcome == PrefixMatch::Outcome::Found &&
          m.certificate->certificate.fingerprint_sha256 == match.found) {
        kept = m.certificate;
      }
    }
    if (!kept) {
      refusals.push_back({"merger.keep_unknown", {{merger.keep}}});
      return planning;
    }
  } else {
    for (size_t u = 0; u < merger.from.size() && !kept; ++u) {
      if (!plan.surviving_unit.empty() && merger.from[u].code != plan.surviving_unit) continue;
      std::vector<const InventoryCertificate*> candidates;
      for (const Matched& m : organizations) {
        if (m.unit == u) candidates.push_back(m.certificate);
      }
      std::stable_sort(candidates.begin(), candidates.end(), lastsLonger);
      std::stable_partition(candidates.begin(), candidates.end(),
                            [&](const InventoryCertificate* c) { return !unused(*c); });
      if (!candidates.empty()) kept = candidates.front();
    }
  }

  for (size_t u = 0; u < merger.from.size(); ++u) {
    const bool has = std::any_of(organizations.begin(), organizations.end(),
                                 [&](const Matched& m) { return m.unit == u; });
    if (!has) {
      plan.warnings.push_back(
          {"merger.no_organization_certificate", {{merger.from[u].code}, {merger.from[u].name}}});
    }
  }

  for (const Matched& m : organizations) {
    const InventoryCertificate& c = *m.certificate;
    MergerItem item;
    item.unit = merger.from[m.unit].code;
    item.certificate = c;
    if (&c == kept) {
      const bool renamed = foldUnitName(c.certificate.common_name) != new_name;
      item.why =
          plan.surviving_unit.empty() || renamed ? MergerWhy::Chosen : MergerWhy::SurvivingName;
      if (renamed) {
        item.action = MergerAction::Change;
        item.request = changeRequest(c, ChangeCase::OrganizationName, "name", merger.into.name);
        item.request->fields["agency_code"] = merger.into.code;
      } else {
        item.action = MergerAction::Keep;
      }
    } else {
      item.action = MergerAction::Revoke;
      item.why = MergerWhy::OtherUnit;
      item.request = revocationRequest(c, RevocationReason::UnitReorganized);
    }
    plan.items.push_back(std::move(item));
  }

  for (const Matched& m : others) {
    const InventoryCertificate& c = *m.certificate;
    MergerItem item;
    item.unit = merger.from[m.unit].code;
    item.certificate = c;
    if (c.certificate.kind != SubscriberKind::Individual) {
      item.action = MergerAction::Review;
      item.why = MergerWhy::Device;
      item.include = false;
    } else if (unused(c)) {
      item.action = MergerAction::Revoke;
      item.why = MergerWhy::Unused;
      item.request = revocationRequest(c, RevocationReason::NoLongerNeeded);
    } else if (item.unit == plan.surviving_unit) {
      item.action = MergerAction::Keep;
      item.why = MergerWhy::PersonalSameUnit;
    } else {
      item.action = MergerAction::Change;
      item.why = MergerWhy::Personal;
      item.request = changeRequest(c, ChangeCase::IndividualAgency, "agency", merger.into.name);
    }
    plan.items.push_back(std::move(item));
  }
  return planning;
}

}  // namespace cks
