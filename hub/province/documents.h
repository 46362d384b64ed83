// Who the province's documents name, from [province] of hub.ini (issue 12, point 4): the Sở as
// the issuer of the yearly report's aggregate, and an agency as the filer of a request's official
// form. The admin CLI and the console print with these, so both say the same thing; a field
// nobody set is printed as the catalogue's "not known" text, never guessed.
#pragma once

#include <string>

#include "core/messages.h"
#include "hub/hub_config.h"
#include "print/report_documents.h"
#include "print/request_forms.h"

namespace cks::hub {

// The Sở as its report documents name it: "UBND THÀNH PHỐ ĐÀ NẴNG" above "SỞ KHOA HỌC VÀ CÔNG
// NGHỆ", the place in the date lines, the director's title.
[[nodiscard]] print::ReportIssuer provinceIssuer(const ProvinceIdentity& province,
                                                 Language language);

// The agency of `code` and `name` as its request forms head it, as the agent's own form does
// with the identity the province gave it at enrolment; addressed to the Sở.
[[nodiscard]] print::FormHeader agencyFormHeader(const ProvinceIdentity& province,
                                                 const std::string& code, const std::string& name,
                                                 Language language);

}  // namespace cks::hub
