// The reports agents and province hubs push (the messages are sync/protocol/report_entries.h),
// named here for the hub's code that applies them, and the years the hub keeps reports for.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/report.h"
#include "core/result.h"
#include "sync/protocol/report_entries.h"

namespace cks::hub {

using sync::kMostReportVersions;
using sync::ProvinceReportSubmitted;
using sync::ProvinceTotals;
using sync::readProvinceReportSubmitted;
using sync::readReportDraftSaved;
using sync::readReportSubmitted;
using sync::ReportDraftSaved;
using sync::ReportSubmitted;

// The years the hub keeps reports for: from 2000 to next year (Vietnam time) at `now`. An
// agent refuses other years itself (docs/report.md); the hub guards against one that did not.
inline constexpr int kFirstPlausibleReportYear = 2000;
[[nodiscard]] int lastPlausibleReportYear(TimePoint now);
[[nodiscard]] bool plausibleReportYear(int year, TimePoint now);

}  // namespace cks::hub
