// The figures of each stored report that the province's aggregate takes (core's ReportFigures),
// kept in hub_report_figures beside the report's body (schema 12): written in the transaction
// that stores the report, read instead of parsing every body. Whatever needs the whole report
// (one agency's report, its lists) still reads the body. Internal to hub/store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/report.h"
#include "core/result.h"
#include "hub/store/connection.h"

namespace cks::hub::sql {

// Keeps `figures` (figuresOf a report) as those of the report's version `version`, inside the
// caller's transaction (the one that stores that version in hub_reports).
[[nodiscard]] Status keepFigures(StoreConnection& c, std::int64_t version, ReportFigures figures);

// The columns figuresFrom reads, reading hub_reports as r and hub_report_figures as f: the
// report's key and as-of instant (r), then the kept figures (f, all NULL when none are kept).
[[nodiscard]] const std::string& figureColumns();
// The figures in `row`, whose columns from `first` on are figureColumns(); nullopt when the
// report has none kept.
[[nodiscard]] std::optional<ReportFigures> figuresFrom(const SqlRow& row, int first);

// Keeps the figures of every stored report that has none, from its body, once for a store of
// before schema 12: nothing when that was done. A body that does not parse gets none (reading
// it says so, as it did before).
[[nodiscard]] Status figuresFromBefore(StoreConnection& c);

}  // namespace cks::hub::sql
