#include "hub/province/alert_service.h"

#include <map>
#include <string>
#include <utility>

#include "hub/province/agency_service.h"

namespace cks::hub {

namespace {

// `held` as a line judged at `at`, with the host of the agent that pushed it.
AlertLine lineOf(HubAlert held, const std::map<std::string, std::string>& hosts, TimePoint at) {
  const auto host = hosts.find(held.agent_id);
  AlertLine line{std::move(held), {}, ""};
  line.state = alertStateAt(line.held.alert.state, line.held.alert.snoozed_until, at);
  line.host = host == hosts.end() ? line.held.agent_id : host->second;
  return line;
}

}  // namespace

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
  for (auto& held : *alerts) view.alerts.push_back(lineOf(std::move(held), hosts, view.at));
  return view;
}

Result<Page<AlertLine>> AlertService::page(const AlertFilter& filter) const {
  auto alerts = context_.views.alerts(filter);
  if (!alerts) return tl::unexpected(alerts.error());
  Page<AlertLine> page{{}, std::move(alerts->next_cursor)};
  const TimePoint now = context_.clock.now();
  const auto hosts = hostsOf(context_.registry, alerts->items);
  for (auto& held : alerts->items) page.items.push_back(lineOf(std::move(held), hosts, now));
  return page;
}

}  // namespace cks::hub
