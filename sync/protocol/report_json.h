// The JSON shapes of the yearly report (docs/report.md): the agency's report as `cksctl report
// draft --json` prints it and `report submit` sends it to the hub, and the province's aggregate
// as `cks-hub admin report province --json` prints it. Both carry the same `totals` object.
// They are an interface contract: extend, never rename.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "core/report.h"
#include "core/result.h"

namespace cks::sync {

// The agency's report: every section, and `totals` (totalsOf) for readers that need only those.
[[nodiscard]] Poco::JSON::Object::Ptr reportJson(const YearlyReport& report);

// Reads what reportJson wrote, exactly (parseReport(stringify(reportJson(r))) == r). `totals`
// is derived and not read back. Fields it does not know are ignored; a missing or ill-typed one,
// a negative count, an unknown kind or a schema newer than kReportSchemaVersion is an error
// naming the field: "report: inventory.tokens.locked: expected a whole number ≥ 0".
[[nodiscard]] Result<YearlyReport> parseReport(const std::string& json);

// The province's report: year, agencies_expected, agencies_reported, missing (codes), totals,
// by_agency (agency, version, as_of, totals, and the five contract figures flat beside them),
// and the breakdown by agency type and the summed next-year plan.
[[nodiscard]] Poco::JSON::Object::Ptr provinceReportJson(const ProvinceReport& report);

}  // namespace cks::sync
