#include "hub/province/alert_service.h"

#include "hub/province/agency_service.h"

namespace cks::hub {

Result<AlertList> AlertService::list(const std::optional<std::string>& agency_code,
                                     bool include_resolved) const {
  auto agency = AgencyService(context_).knownIfGiven(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto alerts = everyPage<HubAlert>([&](const std::string& cursor) {
    return context_.views.alerts({*agency ? (*agency)->code : "", include_resolved, {0, cursor}});
  });
  if (!alerts) return tl::unexpected(alerts.error());
  AlertList view{*agency, include_resolved, context_.clock.now(), {}};
  if (alerts->empty()) return view;
  const auto hosts = hostsByAgent(context_.registry);
  for (auto& held : *alerts) {
    const auto host = hosts.find(held.agent_id);
    AlertLine line{std::move(held), {}, ""};
    line.state = alertStateAt(line.held.alert.state, line.held.alert.snoozed_until, view.at);
    line.host = host == hosts.end() ? line.held.agent_id : host->second;
    view.alerts.push_back(std::move(line));
  }
  return view;
}

}  // namespace cks::hub
