#include "hub/province/documents.h"

#include "core/agency_identity.h"

namespace cks::hub {

print::ReportIssuer provinceIssuer(const ProvinceIdentity& province, Language language) {
  const AgencyIdentity office = province.office();
  print::ReportIssuer issuer;
  const std::string unknown = message(language, "identity.unknown_hub.province");
  issuer.parent_body = office.parent_body.empty() ? unknown : office.parent_body;
  issuer.name = office.name;
  // "Sở Khoa học và Công nghệ thành phố Đà Nẵng" under "UBND thành phố Đà Nẵng": the Sở's
  // name without the province it repeats, as Decree 30/2020 heads a document.
  const std::string suffix = " " + office.province;
  if (!office.province.empty() && issuer.name.size() > suffix.size() &&
      issuer.name.ends_with(suffix)) {
    issuer.name.resize(issuer.name.size() - suffix.size());
  }
  issuer.place = office.place.empty() ? unknown : office.place;
  issuer.signer_title = province.signer_title;
  issuer.signer_name = province.signer;
  issuer.full_name = office.department.empty() ? unknown : office.department;
  return issuer;
}

print::FormHeader agencyFormHeader(const ProvinceIdentity& province, const std::string& code,
                                   const std::string& name, Language language) {
  const AgencyIdentity identity = province.agency(code, name);
  const auto known = [&](const std::string& value, const char* field) {
    return value.empty() ? message(language, std::string("identity.unknown.") + field) : value;
  };
  print::FormHeader header;
  header.agency_name = known(identity.name, "name");
  header.agency_code = known(identity.code, "code");
  header.parent_body = known(identity.parent_body, "parent_body");
  header.province_place = known(identity.place, "place");
  header.addressee = known(identity.department, "department");
  return header;
}

}  // namespace cks::hub
