// The store's registry: the agency directory, single-use enrolment codes, enrolled agents, and
// what the province tells agencies through their agents' feeds. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "hub/store/connection.h"
#include "hub/store/records.h"

namespace cks::hub {

class Registry {
 public:
  explicit Registry(ConnectionPool& pool) : pool_(pool) {}

  // Creates the agency or renames it; a rename queues an "agency" feed item for its agents.
  // `agency.type` set: the agency's type from now on; nullopt: kept ("other" for a new agency).
  // The parent is not touched (importAgencies sets it).
  [[nodiscard]] Status saveAgency(const Agency& agency, TimePoint now);
  [[nodiscard]] Result<std::optional<Agency>> agency(const std::string& code);
  // Every agency the hub knows, by code: the province's list of who must report.
  [[nodiscard]] Result<std::vector<Agency>> agencies();
  // Creates or updates every agency of `directory` (name, type and parent as given; each has a
  // type) in one transaction: all or nothing. Renames are told to the agencies' agents as
  // saveAgency does. Agencies not in `directory` are left as they are.
  [[nodiscard]] Result<AgencyImport> importAgencies(const std::vector<Agency>& directory,
                                                    TimePoint now);

  // Codes are kept by their SHA-256 (`code_hash`), never in clear.
  [[nodiscard]] Status addEnrollCode(const std::string& code_hash, const std::string& agency_code,
                                     TimePoint expires_at, TimePoint now);
  [[nodiscard]] Result<std::optional<EnrollCode>> enrollCode(const std::string& code_hash);
  // Every enrolment code, the newest first.
  [[nodiscard]] Result<std::vector<EnrollCodeRecord>> enrollCodes();
  // Withdraws a code not used yet: it can no longer enrol an agent.
  [[nodiscard]] Result<CodeRevocation> revokeEnrollCode(const std::string& code_hash,
                                                        TimePoint now);
  // Atomically marks the code used and creates the agent with its first feed item ("agency").
  // False, and nothing changed, when the code is unknown, used, revoked or expired at `now`.
  [[nodiscard]] Result<bool> redeemEnrollCode(const std::string& code_hash, TimePoint now,
                                              const NewAgent& agent);

  [[nodiscard]] Result<std::optional<AgentRecord>> agent(const std::string& agent_id);
  [[nodiscard]] Result<std::vector<AgentRecord>> agents();
  // The host of each of `agent_ids` the hub knows (a page's agents: not every agent's record).
  [[nodiscard]] Result<std::map<std::string, std::string>> hosts(
      const std::vector<std::string>& agent_ids);
  // A revoked agent's calls are refused from then on. False when there is no such agent.
  [[nodiscard]] Result<bool> revokeAgent(const std::string& agent_id);

  // Queues one feed item of `kind` with `body` for every agent (revoked ones too: they may come
  // back) of the agencies `agency_codes`, in one transaction; the number of agents it reached.
  // What the province tells agencies outside a request: a merger of units, a deadline.
  [[nodiscard]] Result<int> tellAgencies(const std::vector<std::string>& agency_codes,
                                         const std::string& kind, const std::string& body,
                                         TimePoint now);

  // The agencies with and without an agent, the agents not heard from since `stale_before`,
  // and the oldest and newest of the agencies' latest contacts (the dashboard's "as of").
  [[nodiscard]] Result<AgencyCoverage> coverage(TimePoint stale_before);

  // Agencies of a store from before the directory (schema 6) get, once, the type their name
  // suggested; run when the store opens.
  [[nodiscard]] Status typeAgenciesFromBefore();

 private:
  Result<std::vector<AgentRecord>> agentList(const std::string& agent_id);

  ConnectionPool& pool_;
};

}  // namespace cks::hub
