// The agency's identity as the agent knows it (issue 12, point 4): what the province said at
// enrolment or later in its `agency` feed item, kept in the sync state under "agency_<field>",
// with agent.ini's [agency] (and the deprecated [forms]) over it and the rest derived from the
// province (core/agency_identity.h). The one place forms, reports and cksctl take it from.
// Thread-safe as the store is.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/agent_config.h"
#include "core/agency_identity.h"
#include "core/result.h"
#include "store/outbox.h"

namespace cks::agent {

// The sync state key of one identity field: "agency_code", "agency_parent_body", …
[[nodiscard]] std::string agencyStateKey(std::string_view field);

// What the province gave (empty fields it did not give or before enrolment).
[[nodiscard]] Result<AgencyIdentity> enrolledIdentity(store::Outbox& state);

// The sync state that keeps `identity`: every field, as (key, value) (an empty one clears what
// was kept), for Outbox::recordEnrolment.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> enrolledIdentityState(
    const AgencyIdentity& identity);

// The identity documents use: the enrolled one, agent.ini over it, the rest derived. Fields
// nobody knows stay empty (missingIdentityFields names them).
[[nodiscard]] Result<AgencyIdentity> agencyIdentity(const AgentConfig& config,
                                                    store::Outbox& state);

}  // namespace cks::agent
