#include "hub/province/dashboard_service.h"

#include <algorithm>
#include <chrono>

#include "core/working_days.h"
#include "hub/province/request_service.h"

namespace cks::hub {

Result<Dashboard> DashboardService::dashboard(int stale_days, std::optional<int> year) const {
  Dashboard view;
  view.now = context_.clock.now();
  view.stale_days = stale_days;
  view.year = year ? *year : int(std::chrono::year_month_day(vietnamDate(view.now)).year());
  auto coverage = context_.registry.coverage(view.now - std::chrono::days(stale_days));
  if (!coverage) return tl::unexpected(coverage.error());
  view.coverage = *coverage;
  auto inventory = context_.views.inventoryCounts(view.now);
  if (!inventory) return tl::unexpected(inventory.error());
  view.inventory = *inventory;
  auto open = context_.requests.openRequests();
  if (!open) return tl::unexpected(open.error());
  for (const RequestState state : allRequestStates()) {
    if (!isTerminal(state)) view.requests.push_back({state, 0, 0});
  }
  for (const auto& line : *open) {
    // The request list's rule, judged once per due date.
    HubRequest sample;
    sample.request.state = line.state;
    sample.due_date = parseDate(line.due_date);
    const std::int64_t late = RequestService::overdue(sample, view.now) ? line.count : 0;
    for (auto& shown : view.requests) {
      if (shown.state != line.state) continue;
      shown.count += line.count;
      shown.overdue += late;
    }
    view.open_requests += line.count;
    view.overdue_requests += late;
  }
  auto reports = context_.reports.reportCounts(view.year);
  if (!reports) return tl::unexpected(reports.error());
  view.reports = *reports;
  view.reports_missing = std::max<std::int64_t>(
      0, view.coverage.agencies - view.reports.submitted - view.reports.draft_only);
  return view;
}

}  // namespace cks::hub
