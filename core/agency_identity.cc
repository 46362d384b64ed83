#include "core/agency_identity.h"

#include <array>

namespace cks {
namespace {

constexpr std::array<std::string_view, 6> kFields = {"code",     "name",  "parent_body",
                                                     "province", "place", "department"};

// The kinds a province's name may start with (Resolution 202/2025/QH15: 28 tỉnh, 6 thành phố).
constexpr std::array<std::string_view, 4> kProvinceKinds = {"thành phố ", "Thành phố ", "tỉnh ",
                                                            "Tỉnh "};

}  // namespace

std::vector<std::string_view> identityFieldNames() { return {kFields.begin(), kFields.end()}; }

std::string& identityField(AgencyIdentity& identity, std::string_view name) {
  if (name == "code") return identity.code;
  if (name == "name") return identity.name;
  if (name == "parent_body") return identity.parent_body;
  if (name == "province") return identity.province;
  if (name == "place") return identity.place;
  return identity.department;
}

const std::string& identityField(const AgencyIdentity& identity, std::string_view name) {
  return identityField(const_cast<AgencyIdentity&>(identity), name);
}

AgencyIdentity overlayIdentity(AgencyIdentity base, const AgencyIdentity& overrides) {
  for (const auto name : kFields) {
    if (!identityField(overrides, name).empty()) {
      identityField(base, name) = identityField(overrides, name);
    }
  }
  return base;
}

AgencyIdentity completeIdentity(AgencyIdentity identity) {
  const std::string& province = identity.province;
  if (province.empty()) return identity;
  if (identity.place.empty()) {
    identity.place = province;
    for (const auto kind : kProvinceKinds) {
      if (province.size() > kind.size() && province.starts_with(kind)) {
        identity.place = province.substr(kind.size());
        break;
      }
    }
  }
  if (identity.parent_body.empty()) identity.parent_body = "UBND " + province;
  if (identity.department.empty()) identity.department = "Sở Khoa học và Công nghệ " + province;
  return identity;
}

std::string provinceFullName(const std::string& name, const std::string& kind) {
  if (name.empty() || kind.empty() || name.starts_with(kind)) return name;
  return kind + " " + name;
}

std::vector<std::string> missingIdentityFields(const AgencyIdentity& identity) {
  std::vector<std::string> missing;
  for (const auto name : kFields) {
    if (identityField(identity, name).empty()) missing.emplace_back(name);
  }
  return missing;
}

}  // namespace cks
