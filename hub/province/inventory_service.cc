#include "hub/province/inventory_service.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "hub/province/agency_service.h"

namespace cks::hub {

Result<AgencyCertificates> InventoryService::certificates(const std::string& agency_code) const {
  auto agency = AgencyService(context_).known(agency_code);
  if (!agency) return tl::unexpected(agency.error());
  auto certificates = context_.store.certificates({agency->code, ""});
  if (!certificates) return tl::unexpected(certificates.error());
  AgencyCertificates view{*agency, {}};
  if (certificates->empty()) return view;
  const auto hosts = hostsByAgent(context_.store);
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
  auto tokens = context_.store.tokens({agency->code, ""});
  if (!tokens) return tl::unexpected(tokens.error());
  return AgencyTokens{*agency, std::move(*tokens)};
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
  auto agents = context_.store.agents();
  if (!agents) return tl::unexpected(agents.error());
  std::map<std::string, const AgentRecord*> agent_of;
  for (const auto& a : *agents) agent_of[a.agent_id] = &a;
  auto certificates = context_.store.certificates({*agency ? (*agency)->code : "", ""});
  if (!certificates) return tl::unexpected(certificates.error());
  const TimePoint now = context_.clock.now();

  struct Sighting {
    const AgentRecord* agent;
    const InventoryCertificate* certificate;
  };
  std::map<std::pair<std::string, std::string>, Sighting> chosen;  // (agency, fingerprint)
  for (const auto& hc : *certificates) {
    const auto& ic = hc.certificate;
    const auto& c = ic.certificate;
    // As the agent's ?expiring=N: valid now, and gone within N days.
    if (!c.parsed() || now < c.not_before || now >= c.not_after || c.daysLeft(now) > days) {
      continue;
    }
    const auto agent = agent_of.find(hc.agent_id);
    if (agent == agent_of.end()) continue;
    const Sighting candidate{agent->second, &ic};
    const auto key = std::make_pair(agent->second->agency_code, c.fingerprint_sha256);
    auto [it, inserted] = chosen.emplace(key, candidate);
    if (!inserted) {
      const auto& held = *it->second.certificate;
      if (std::make_pair(ic.present, ic.last_seen) > std::make_pair(held.present, held.last_seen)) {
        it->second = candidate;
      }
    }
  }
  ExpiringCertificates view{*agency, days, {}};
  for (const auto& [key, s] : chosen) {
    view.certificates.push_back(
        {s.agent->agency_code, s.agent->agency_name, s.agent->host, *s.certificate});
  }
  std::stable_sort(view.certificates.begin(), view.certificates.end(),
                   [](const ExpiringCertificate& a, const ExpiringCertificate& b) {
                     const auto& ca = a.certificate.certificate;
                     const auto& cb = b.certificate.certificate;
                     return std::tie(ca.not_after, a.agency_code, ca.common_name) <
                            std::tie(cb.not_after, b.agency_code, cb.common_name);
                   });
  return view;
}

}  // namespace cks::hub
