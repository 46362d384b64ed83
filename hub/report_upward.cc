#include "hub/report_upward.h"

#include "hub/province/report_service.h"
#include "hub/province/staff_service.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/report_json.h"

namespace cks::hub {

Result<QueuedUpward> queueReportUpward(const UpstreamSettings& settings,
                                       const ProvinceContext& province, int year) {
  QueuedUpward queued;
  auto link = Upstream::open(settings);
  if (!link) return tl::unexpected(link.error());
  auto linked = (*link)->link();
  if (!linked) return tl::unexpected(linked.error());
  if (!*linked) {
    return tl::unexpected(province.refusal(ErrorCode::FailedPrecondition, "upstream.not_enrolled"));
  }
  queued.url = (*linked)->url;
  queued.link = std::move(*link);
  auto aggregate = ReportService(province).province(year);
  if (!aggregate) return tl::unexpected(aggregate.error());
  queued.province = std::move(*aggregate);
  auto version = queued.link->queueProvinceReport(
      year, sync::stringify(sync::provinceReportJson(queued.province)), province.clock.now());
  if (!version) return tl::unexpected(version.error());
  queued.version = *version;
  // Recorded once queued: the national hub gets it at this sync or a later one.
  if (auto recorded = StaffService(province).record("report.upward", "", std::to_string(year),
                                                    "version " + std::to_string(*version));
      !recorded) {
    return tl::unexpected(recorded.error());
  }
  return queued;
}

}  // namespace cks::hub
