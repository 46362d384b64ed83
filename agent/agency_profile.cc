#include "agent/agency_profile.h"

namespace cks::agent {

std::string agencyStateKey(std::string_view field) { return "agency_" + std::string(field); }

Result<AgencyIdentity> enrolledIdentity(store::Outbox& state) {
  AgencyIdentity identity;
  for (const auto field : identityFieldNames()) {
    auto value = state.state(agencyStateKey(field));
    if (!value) return tl::unexpected(value.error());
    if (*value) identityField(identity, field) = **value;
  }
  return identity;
}

std::vector<std::pair<std::string, std::string>> enrolledIdentityState(
    const AgencyIdentity& identity) {
  std::vector<std::pair<std::string, std::string>> state;
  for (const auto field : identityFieldNames()) {
    state.emplace_back(agencyStateKey(field), identityField(identity, field));
  }
  return state;
}

Result<AgencyIdentity> agencyIdentity(const AgentConfig& config, store::Outbox& state) {
  auto enrolled = enrolledIdentity(state);
  if (!enrolled) return tl::unexpected(enrolled.error());
  const AgencyIdentity overrides = agencyOverrides(config);
  if (!overrides.province.empty() && overrides.province != enrolled->province) {
    // Another province than the hub's: what the hub derived from its own is not this one's.
    enrolled->parent_body.clear();
    enrolled->place.clear();
    enrolled->department.clear();
  }
  return completeIdentity(overlayIdentity(std::move(*enrolled), overrides));
}

}  // namespace cks::agent
