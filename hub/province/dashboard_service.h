// The province's dashboard (docs/console-api.md, "Dashboard"): what needs the province's
// attention, each figure counted by the store as the list behind it shows it (agencies with and
// without an agent, agents not heard from, certificates expiring or expired but still on a token,
// locked tokens, open and overdue requests, the year's report completeness) and how fresh the
// agencies' data is. Typed in, typed out (province_context.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "hub/province/province_context.h"

namespace cks::hub {

// The open requests of one state (core/request.h: not terminal).
struct OpenRequests {
  RequestState state{};
  std::int64_t count = 0;
  std::int64_t overdue = 0;  // RequestService::overdue
};

struct Dashboard {
  TimePoint now{};
  int stale_days = 0;
  int year = 0;
  AgencyCoverage coverage;  // "as of": its oldest and newest contact
  InventoryCounts inventory;
  std::vector<OpenRequests> requests;  // every open state, in core's order
  std::int64_t open_requests = 0;
  std::int64_t overdue_requests = 0;
  ReportCounts reports;
  std::int64_t reports_missing = 0;  // agencies neither submitted nor with a draft
};

class DashboardService {
 public:
  static constexpr int kDefaultStaleDays = 7;

  explicit DashboardService(ProvinceContext context) : context_(context) {}

  // The dashboard at the hub clock's now: agents not heard from for `stale_days` days, the
  // reports of `year` (nullopt: the current year in Vietnam).
  [[nodiscard]] Result<Dashboard> dashboard(int stale_days, std::optional<int> year) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
