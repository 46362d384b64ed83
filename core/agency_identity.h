// Who an agency is on its documents (issue 12, point 4): its code and name, the body above it,
// the province, the place named in date lines and the Sở its requests are addressed to. The
// province gives these at enrolment (the hub knows its own province and the agency's name and
// code); `[agency]` of agent.ini overrides any of them. Fields left empty are derived from the
// province where a rule exists (after the 2025 reform communes report directly to the
// province, so the body above defaults to the province's People's Committee), else they stay
// unknown and documents say so. Plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cks {

struct AgencyIdentity {
  std::string code;         // mã định danh, "H55.30.05"
  std::string name;         // "UBND phường Hải Châu"
  std::string parent_body;  // "UBND thành phố Đà Nẵng"
  std::string province;     // with its kind: "thành phố Đà Nẵng", "tỉnh Quảng Ngãi"
  std::string place;        // in date lines: "Đà Nẵng"
  std::string department;   // "Sở Khoa học và Công nghệ thành phố Đà Nẵng"
  friend bool operator==(const AgencyIdentity&, const AgencyIdentity&) = default;
};

// The field names, in the order documents and warnings list them (also agent.ini's keys).
[[nodiscard]] std::vector<std::string_view> identityFieldNames();
[[nodiscard]] std::string& identityField(AgencyIdentity& identity, std::string_view name);
[[nodiscard]] const std::string& identityField(const AgencyIdentity& identity,
                                               std::string_view name);

// `base` with every non-empty field of `overrides` put over it.
[[nodiscard]] AgencyIdentity overlayIdentity(AgencyIdentity base, const AgencyIdentity& overrides);

// The empty fields that follow from the province filled in: `place` is the province without
// its kind ("thành phố Đà Nẵng" → "Đà Nẵng"), `parent_body` "UBND " + province, `department`
// "Sở Khoa học và Công nghệ " + province. These are official names, never translated.
[[nodiscard]] AgencyIdentity completeIdentity(AgencyIdentity identity);

// The province's full name from its name and kind ("Đà Nẵng", "thành phố" → "thành phố Đà
// Nẵng"); the name alone when the kind is empty or already starts it.
[[nodiscard]] std::string provinceFullName(const std::string& name, const std::string& kind);

// The names of the fields still empty, in identityFieldNames() order.
[[nodiscard]] std::vector<std::string> missingIdentityFields(const AgencyIdentity& identity);

}  // namespace cks
