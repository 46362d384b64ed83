#include "hub/province/inventory_service.h"

#include <map>
#include <utility>

#include "hub/province/agency_service.h"

namespace cks::hub {

Result<AgencyCertificates> InventoryService::certificates(const std::string& agency_code) const {
  auto agency = AgencyService(context_).known(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto certificates = context_.views.allCertificates({agency->code, ""});
  if (!certificates) return tl::unexpected(certificates.error());
  AgencyCertificates view{*agency, {}};
  if (certificates->empty()) return view;
  const auto hosts = hostsByAgent(context_.registry);
  for (auto& seen : *certificates) {
    const auto host = hosts.find(seen.agent_id);
    std::string shown = host == hosts.end() ? seen.agent_id : host->second;
    view.certificates.push_back({std::move(seen), std::move(shown)});
  }
  return view;
}

Result<AgencyTokens> InventoryService::tokens(const std::string& agency_code) const {
  auto agency = AgencyService(context_).known(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto tokens = context_.views.allTokens({agency->code, ""});
  if (!tokens) return tl::unexpected(tokens.error());
  return AgencyTokens{*agency, std::move(*tokens)};
}

Result<Page<CertificateSighting>> InventoryService::certificatePage(CertificateQuery query) const {
  query.now = context_.clock.now();
  auto certificates = context_.views.certificates(query);
  if (!certificates) return tl::unexpected(certificates.error());
  Page<CertificateSighting> page{{}, std::move(certificates->next_cursor)};
  if (certificates->items.empty()) return page;
  const auto hosts = hostsOf(context_.registry, certificates->items);
  for (auto& seen : certificates->items) {
    const auto host = hosts.find(seen.agent_id);
    std::string shown = host == hosts.end() ? seen.agent_id : host->second;
    page.items.push_back({std::move(seen), std::move(shown)});
  }
  return page;
}

Result<Page<HubToken>> InventoryService::tokenPage(const TokenQuery& query) const {
  return context_.views.tokens(query);
}

Result<ExpiringCertificates> InventoryService::expiring(
    int days, const std::optional<std::string>& agency_code) const {
  if (days < 0 || days > kMostExpiringDays) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "expiring.bad_days",
                         {std::to_string(days), std::to_string(kMostExpiringDays)}));
  }
  auto agency = AgencyService(context_).knownIfGiven(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto agents = context_.registry.agents();
  if (!agents) return tl::unexpected(agents.error());
  std::map<std::string, const AgentRecord*> agent_of;
  for (const auto& a : *agents) agent_of[a.agent_id] = &a;
  // The store picks the sighting to show (once per agency) and orders by expiry, agency and
  // common name, in SQL, a page at a time.
  auto certificates = everyPage<HubCertificate>([&](const std::string& cursor) {
    CertificateQuery query;
    query.scope = {*agency ? (*agency)->code : "", ""};
    query.expiring_within_days = days;
    query.now = context_.clock.now();
    query.sort = CertificateSort::NotAfter;
    query.page.cursor = cursor;
    return context_.views.certificates(query);
  });
  if (!certificates) return tl::unexpected(certificates.error());
  ExpiringCertificates view{*agency, days, {}};
  for (auto& hc : *certificates) {
    const auto agent = agent_of.find(hc.agent_id);
    if (agent == agent_of.end()) continue;
    view.certificates.push_back({agent->second->agency_code, agent->second->agency_name,
                                 agent->second->host, std::move(hc.certificate)});
  }
  return view;
}

}  // namespace cks::hub
