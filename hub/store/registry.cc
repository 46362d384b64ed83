#include "hub/store/registry.h"

#include <algorithm>
#include <set>
#include <utility>

#include "core/time_format.h"
#include "hub/store/internal/agency_choice.h"
#include "hub/store/internal/keyset.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {
namespace {

using sql::agencyBody;
using sql::queueFeedItem;
using sql::textOrNull;
using sql::timeOf;

constexpr std::string_view kAgencyColumns =
    "SELECT code, name, coalesce(type, 'other'), coalesce(parent, '') FROM agencies";

Agency agencyOf(const SqlRow& row) {
  AgencyType type = AgencyType::Other;
  (void)parseAgencyType(row.text(2), type);  // written by this hub from names it knows
  return {row.text(0), row.text(1), type, row.text(3)};
}

Result<std::optional<Agency>> agencyOn(StoreConnection& c, const std::string& code) {
  std::optional<Agency> found;
  CKS_TRY(c.run(std::string(kAgencyColumns) + " WHERE code = ?1", {code},
                [&](const SqlRow& row) { found = agencyOf(row); }));
  return found;
}

// Gives the agency its new name; every agent of it learns the name on its next pull.
Status rename(StoreConnection& c, const std::string& code, const std::string& name,
              const std::string& at) {
  CKS_TRY(
      c.run("UPDATE agencies SET name = ?2, updated_at = ?3 WHERE code = ?1", {code, name, at}));
  std::vector<std::string> ids;
  CKS_TRY(c.run("SELECT agent_id FROM agents WHERE agency_code = ?1", {code},
                [&](const SqlRow& row) { ids.push_back(row.text(0)); }));
  for (const auto& id : ids) CKS_TRY(queueFeedItem(c, id, "agency", agencyBody(code, name), at));
  return ok();
}

}  // namespace

Status Registry::saveAgency(const Agency& agency, TimePoint now) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    const std::string at = formatIsoUtc(now);
    auto before = agencyOn(c, agency.code);
    if (!before) return tl::unexpected(before.error());
    if (!*before) {
      return c
          .run(
              "INSERT INTO agencies (code, name, type, created_at, updated_at) "
              "VALUES (?1, ?2, ?3, ?4, ?4)",
              {agency.code, agency.name,
               std::string(toString(agency.type.value_or(AgencyType::Other))), at})
          .map([](auto) {});
    }
    if ((*before)->name != agency.name) CKS_TRY(rename(c, agency.code, agency.name, at));
    if (agency.type && agency.type != (*before)->type) {
      CKS_TRY(c.run("UPDATE agencies SET type = ?2, updated_at = ?3 WHERE code = ?1",
                    {agency.code, std::string(toString(*agency.type)), at}));
    }
    return ok();
  });
}

Result<AgencyImport> Registry::importAgencies(const std::vector<Agency>& directory, TimePoint now) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<AgencyImport> {
    const std::string at = formatIsoUtc(now);
    AgencyImport counts;
    for (const auto& agency : directory) {
      CKS_CHECK(agency.type.has_value());
      const std::string type(toString(*agency.type));
      auto before = agencyOn(c, agency.code);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        CKS_TRY(
            c.run("INSERT INTO agencies (code, name, type, parent, created_at, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                  {agency.code, agency.name, type, textOrNull(agency.parent), at}));
        ++counts.added;
        continue;
      }
      const Agency& old = **before;
      if (old.name != agency.name) {
        CKS_TRY(rename(c, agency.code, agency.name, at));
        ++counts.renamed;
      } else if (old.type != agency.type || old.parent != agency.parent) {
        ++counts.updated;
      } else {
        ++counts.unchanged;
        continue;
      }
      CKS_TRY(c.run("UPDATE agencies SET type = ?2, parent = ?3, updated_at = ?4 WHERE code = ?1",
                    {agency.code, type, textOrNull(agency.parent), at}));
    }
    return counts;
  });
}

Result<int> Registry::tellAgencies(const std::vector<std::string>& agency_codes,
                                   const std::string& kind, const std::string& body,
                                   TimePoint now) {
  return sql::transaction(pool_, [&](StoreConnection& c) {
    return sql::tellAgencies(c, agency_codes, kind, body, formatIsoUtc(now));
  });
}

Result<std::optional<Agency>> Registry::agency(const std::string& code) {
  return sql::read(pool_, [&](StoreConnection& c) { return agencyOn(c, code); });
}

Result<std::vector<Agency>> Registry::agencies() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<Agency>> {
    std::vector<Agency> out;
    CKS_TRY(c.run(std::string(kAgencyColumns) + " ORDER BY code", {},
                  [&](const SqlRow& row) { out.push_back(agencyOf(row)); }));
    return out;
  });
}

// Agencies of a store from before the directory (schema 6) get, once, the type their name
// suggested: the type they were reported under until then. From then on only the province
// changes it. SQL cannot run the guess (it reads Vietnamese case-insensitively).
Result<AgencyCoverage> Registry::coverage(TimePoint stale_before) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<AgencyCoverage> {
    AgencyCoverage coverage;
    CKS_TRY(c.run("SELECT count(*) FROM agencies", {},
                  [&](const SqlRow& row) { coverage.agencies = row.integer(0); }));
    CKS_TRY(
        c.run("SELECT count(*) FROM agencies g WHERE EXISTS (SELECT 1 FROM agents a "
              "WHERE a.agency_code = g.code AND a.revoked = 0)",
              {}, [&](const SqlRow& row) { coverage.with_agent = row.integer(0); }));
    CKS_TRY(
        c.run("SELECT count(*) FROM agents WHERE revoked = 0 AND (last_contact IS NULL OR "
              "last_contact < ?1)",
              {formatIsoUtc(stale_before)},
              [&](const SqlRow& row) { coverage.stale_agents = row.integer(0); }));
    CKS_TRY(
        c.run("SELECT min(latest), max(latest) FROM (SELECT max(last_contact) AS latest "
              "FROM agents WHERE revoked = 0 GROUP BY agency_code) s",
              {}, [&](const SqlRow& row) {
                if (!row.isNull(0)) coverage.oldest_contact = sql::timeOf(row.text(0));
                if (!row.isNull(1)) coverage.newest_contact = sql::timeOf(row.text(1));
              }));
    return coverage;
  });
}

Status Registry::typeAgenciesFromBefore() {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    std::vector<std::pair<std::string, std::string>> untyped;
    CKS_TRY(c.run("SELECT code, name FROM agencies WHERE type IS NULL", {},
                  [&](const SqlRow& row) { untyped.emplace_back(row.text(0), row.text(1)); }));
    for (const auto& [code, name] : untyped) {
      CKS_TRY(c.run("UPDATE agencies SET type = ?2 WHERE code = ?1 AND type IS NULL",
                    {code, std::string(toString(guessAgencyType(name)))}));
    }
    return ok();
  });
}

Status Registry::addEnrollCode(const std::string& code_hash, const std::string& agency_code,
                               TimePoint expires_at, TimePoint now) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Status {
    auto added = c.run(
        "INSERT INTO enroll_codes (code_hash, agency_code, name, expires_at, created_at) "
        "SELECT ?1, code, name, ?3, ?4 FROM agencies WHERE code = ?2",
        {code_hash, agency_code, formatIsoUtc(expires_at), formatIsoUtc(now)});
    if (!added) return tl::unexpected(added.error());
    if (*added != 1) return fail("store: ", c.where(), ": no agency ", agency_code);
    return ok();
  });
}

Result<std::optional<EnrollCode>> Registry::enrollCode(const std::string& code_hash) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::optional<EnrollCode>> {
    std::optional<EnrollCode> found;
    CKS_TRY(c.run(
        "SELECT e.agency_code, g.name, e.expires_at, e.used_at, e.revoked_at "
        "FROM enroll_codes e JOIN agencies g ON g.code = e.agency_code "
        "WHERE e.code_hash = ?1",
        {code_hash}, [&](const SqlRow& row) {
          found =
              EnrollCode{row.text(0), row.text(1), timeOf(row.text(2)), std::nullopt, std::nullopt};
          if (!row.isNull(3)) found->used_at = timeOf(row.text(3));
          if (!row.isNull(4)) found->revoked_at = timeOf(row.text(4));
        }));
    return found;
  });
}

Result<std::vector<EnrollCodeRecord>> Registry::enrollCodes() {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<EnrollCodeRecord>> {
    std::vector<EnrollCodeRecord> out;
    CKS_TRY(c.run(
        "SELECT e.code_hash, e.agency_code, g.name, e.created_at, e.expires_at, e.used_at, "
        "coalesce(e.used_by, ''), e.revoked_at FROM enroll_codes e "
        "JOIN agencies g ON g.code = e.agency_code "
        "ORDER BY e.created_at DESC, e.agency_code, e.code_hash",
        {}, [&](const SqlRow& row) {
          EnrollCodeRecord r{row.text(0),         row.text(1),  row.text(2), timeOf(row.text(3)),
                             timeOf(row.text(4)), std::nullopt, row.text(6), std::nullopt};
          if (!row.isNull(5)) r.used_at = timeOf(row.text(5));
          if (!row.isNull(7)) r.revoked_at = timeOf(row.text(7));
          out.push_back(std::move(r));
        }));
    return out;
  });
}

Result<CodeRevocation> Registry::revokeEnrollCode(const std::string& code_hash, TimePoint now) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<CodeRevocation> {
    auto changed = c.run(
        "UPDATE enroll_codes SET revoked_at = ?2 "
        "WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL",
        {code_hash, formatIsoUtc(now)});
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 1) return CodeRevocation::Revoked;
    std::optional<CodeRevocation> why;
    CKS_TRY(c.run(
        "SELECT CASE WHEN used_at IS NULL THEN 0 ELSE 1 END FROM enroll_codes "
        "WHERE code_hash = ?1",
        {code_hash}, [&](const SqlRow& row) {
          why = row.integer(0) != 0 ? CodeRevocation::AlreadyUsed : CodeRevocation::AlreadyRevoked;
        }));
    return why.value_or(CodeRevocation::Unknown);
  });
}

Result<bool> Registry::redeemEnrollCode(const std::string& code_hash, TimePoint now,
                                        const NewAgent& agent) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<bool> {
    const std::string at = formatIsoUtc(now);
    // The conditions are checked again here: two enrolments racing for one code, one wins
    // (PostgreSQL: the loser's UPDATE waits for the winner's row lock, then matches nothing).
    auto used = c.run(
        "UPDATE enroll_codes SET used_at = ?2, used_by = ?3 "
        "WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2 "
        "AND agency_code = ?4",
        {code_hash, at, agent.agent_id, agent.agency_code});
    if (!used) return tl::unexpected(used.error());
    if (*used != 1) return false;
    CKS_TRY(
        c.run("INSERT INTO agents (agent_id, agency_code, host, agent_version, enrolled_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5)",
              {agent.agent_id, agent.agency_code, agent.host, agent.agent_version,
               formatIsoUtc(agent.enrolled_at)}));
    std::string agency_name;
    CKS_TRY(c.run("SELECT name FROM agencies WHERE code = ?1", {agent.agency_code},
                  [&](const SqlRow& row) { agency_name = row.text(0); }));
    CKS_TRY(
        queueFeedItem(c, agent.agent_id, "agency", agencyBody(agent.agency_code, agency_name), at));
    return true;
  });
}

Result<std::optional<AgentRecord>> Registry::agent(const std::string& agent_id) {
  auto list = agentList(agent_id);
  if (!list) return tl::unexpected(list.error());
  if (list->empty()) return std::optional<AgentRecord>();
  return std::optional<AgentRecord>(std::move(list->front()));
}

Result<std::vector<AgentRecord>> Registry::agents() { return agentList(""); }

Result<std::map<std::string, std::string>> Registry::hosts(
    const std::vector<std::string>& agent_ids) {
  const std::set<std::string> distinct(agent_ids.begin(), agent_ids.end());
  const std::vector<std::string> asked(distinct.begin(), distinct.end());
  constexpr size_t kAsked = 500;  // SQLite binds at most 32,766 parameters
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::map<std::string, std::string>> {
    std::map<std::string, std::string> out;
    for (size_t first = 0; first < asked.size(); first += kAsked) {
      sql::Statement statement("SELECT agent_id, host FROM agents WHERE agent_id IN (");
      for (size_t i = first; i < std::min(asked.size(), first + kAsked); ++i) {
        statement += (i == first ? "" : ", ") + statement.bind(asked[i]);
      }
      statement += ")";
      CKS_TRY(c.run(statement.text(), statement.params(),
                    [&](const SqlRow& row) { out[row.text(0)] = row.text(1); }));
    }
    return out;
  });
}

Result<bool> Registry::revokeAgent(const std::string& agent_id) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<bool> {
    std::optional<std::string> agency_code;
    CKS_TRY(c.run("UPDATE agents SET revoked = 1 WHERE agent_id = ?1 RETURNING agency_code",
                  {agent_id}, [&](const SqlRow& row) { agency_code = row.text(0); }));
    if (!agency_code) return false;
    // Its sightings no longer count: its agency's certificates and tokens are chosen again
    // without them.
    CKS_TRY(sql::chooseAgencyCertificates(c, *agency_code));
    CKS_TRY(sql::chooseAgencyTokens(c, *agency_code));
    return true;
  });
}

Result<std::vector<AgentRecord>> Registry::agentList(const std::string& agent_id) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<AgentRecord>> {
    std::vector<AgentRecord> out;
    sql::Statement statement(
        "SELECT a.agent_id, a.agency_code, g.name, a.host, a.agent_version, a.enrolled_at, "
        "a.last_contact, a.clock_offset_seconds, a.backlog, a.revoked, "
        "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
        "l.lane = 'normal'), 0), "
        "coalesce((SELECT acked FROM lane_state l WHERE l.agent_id = a.agent_id AND "
        "l.lane = 'urgent'), 0) "
        "FROM agents a JOIN agencies g ON g.code = a.agency_code ");
    if (!agent_id.empty()) statement += "WHERE a.agent_id = " + statement.bind(agent_id) + " ";
    statement += "ORDER BY a.agency_code, a.enrolled_at, a.agent_id";
    CKS_TRY(c.run(statement.text(), statement.params(), [&](const SqlRow& row) {
      AgentRecord a;
      a.agent_id = row.text(0);
      a.agency_code = row.text(1);
      a.agency_name = row.text(2);
      a.host = row.text(3);
      a.agent_version = row.text(4);
      a.enrolled_at = timeOf(row.text(5));
      if (!row.isNull(6)) a.last_contact = timeOf(row.text(6));
      if (!row.isNull(7)) a.clock_offset_seconds = row.integer(7);
      a.backlog = row.integer(8);
      a.revoked = row.integer(9) != 0;
      a.normal_acked = row.integer(10);
      a.urgent_acked = row.integer(11);
      out.push_back(std::move(a));
    }));
    return out;
  });
}

}  // namespace cks::hub
