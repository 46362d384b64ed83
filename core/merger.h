// The 2025 mergers (seed 004, DOMAIN.md): one merger of units turned into the batch of requests
// the province's guidance prescribes, for a person to review before anything is queued.
//  - Organisation certificates: when the new unit keeps the name of one old unit, that unit's
//    certificate stays and the others are revoked; when no name survives, one certificate (the
//    officer's choice, or by default the first listed unit's) gets a change of information to
//    the new name and the others are revoked.
//  - Personal certificates of the merged units get a change of information to the new unit;
//    those of the unit whose name survives need none.
//  - Certificates on tokens not seen for a long time are proposed for revocation instead.
// Pure functions over the inventory handed in, no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/inventory.h"
#include "core/request.h"

namespace cks {

// One unit of a merger: its electronic document exchange code and its name as the
// certificates spell it ("UBND xã Bình Mỹ"; case and "Ủy ban nhân dân" ⇄ "UBND" do not matter).
struct MergerUnit {
  std::string code;
  std::string name;
  friend bool operator==(const MergerUnit&, const MergerUnit&) = default;
};

struct Merger {
  std::string id;  // the province's id when it published the merger; empty for a local one
  MergerUnit into;
  std::vector<MergerUnit> from;
  std::string keep;      // fingerprint (or a unique prefix of ≥ 8 hex digits) to keep; optional
  std::string decision;  // the decision that merges them, printed on the forms; optional
};

struct MergerPolicy {
  int unused_days = 180;  // a token not seen this long makes its certificates revocation candidates
};

enum class MergerAction {
  Keep,    // nothing to file
  Change,  // change of information to the new unit
  Revoke,  // revocation, reason unit_reorganized or no_longer_needed
  Review,  // the guidance says nothing (device certificates): a person decides
};

// Why an item is proposed; each has a sentence in the catalogue ("merger.why.<name>").
enum class MergerWhy {
  SurvivingName,     // the organisation certificate of the unit whose name the new unit keeps
  Chosen,            // the organisation certificate chosen to carry the new name
  OtherUnit,         // an organisation certificate of a unit that does not go on
  Personal,          // a holder of a merged unit: the unit on the certificate changes
  PersonalSameUnit,  // a holder of the unit whose name survives: nothing changes
  Unused,            // on a token not seen for `unused_days`
  Device,            // a device/service certificate: not covered by the guidance
};

[[nodiscard]] std::string_view toString(MergerAction action);
[[nodiscard]] std::string_view toString(MergerWhy why);
[[nodiscard]] bool parseMergerAction(std::string_view text, MergerAction& out);

struct MergerItem {
  MergerAction action = MergerAction::Keep;
  MergerWhy why = MergerWhy::Personal;
  bool include = true;  // what the reviewer turns off to leave an item out of the batch
  std::string unit;     // the code of the merged unit the certificate belongs to
  InventoryCertificate certificate;
  std::optional<Request> request;  // set for Change and Revoke
};

struct MergerPlan {
  Merger merger;
  MergerPolicy policy;
  TimePoint made_at{};
  std::string surviving_unit;  // the code whose name the new unit keeps; empty when none
  std::vector<MergerItem> items;
  std::vector<InventoryCertificate> unmatched;  // valid certificates of no merged unit
  std::vector<InventoryCertificate> expired;    // of merged units, already expired: nothing to do
  std::vector<Refusal> warnings;                // e.g. a unit without an organisation certificate
};

// Unit names compared the way the certificates vary: Vietnamese letters case-folded, spaces
// collapsed, "Ủy ban nhân dân" / "Uỷ ban nhân dân" written "UBND".
[[nodiscard]] std::string foldUnitName(std::string_view name);

// The plan for `merger` over the agency's certificates at `now`, or why no plan can be made
// (no unit merged, a unit without a code or a name, a code given twice, `keep` naming no
// organisation certificate of the merged units). Certificates are matched to units by name:
// an organisation certificate by its CN, a personal or device certificate by its O or an OU.
struct MergerPlanning {
  std::vector<Refusal> refusals;  // nothing planned when not empty
  MergerPlan plan;
};
[[nodiscard]] MergerPlanning planMerger(const Merger& merger,
                                        std::span<const InventoryCertificate> certificates,
                                        const MergerPolicy& policy, TimePoint now);

}  // namespace cks
