// The yearly report sent upward (docs/report.md, "Upward to the nation"): the province's
// aggregate of a year queued as the next version on the link to the national hub and recorded
// in the audit trail. The admin CLI (`report submit`) and the console then sync and say how it
// went; this part is shared so that neither holds the rule alone.
#pragma once

#include <memory>
#include <string>

#include "core/report.h"
#include "core/result.h"
#include "hub/hub_config.h"
#include "hub/province/province_context.h"
#include "hub/upstream.h"

namespace cks::hub {

struct QueuedUpward {
  std::unique_ptr<Upstream> link;  // to sync what was queued
  std::string url;                 // the national hub's
  int version = 0;
  ProvinceReport province;
};

// Queues `year`'s aggregate. FailedPrecondition (hub.upstream.not_enrolled) before `upstream
// enroll`; the link's, the store's and ReportService::province's errors otherwise.
[[nodiscard]] Result<QueuedUpward> queueReportUpward(const UpstreamSettings& settings,
                                                     const ProvinceContext& province, int year);

}  // namespace cks::hub
