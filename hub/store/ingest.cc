#include "hub/store/ingest.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>

#include "core/time_format.h"
#include "hub/store/internal/projector.h"
#include "hub/store/internal/revocation_feed.h"
#include "hub/store/internal/sql.h"

namespace cks::hub {
namespace {

Result<std::int64_t> laneAcked(StoreConnection& c, const std::string& agent_id,
                               const std::string& lane) {
  std::int64_t acked = 0;
  CKS_TRY(c.run("SELECT acked FROM lane_state WHERE agent_id = ?1 AND lane = ?2", {agent_id, lane},
                [&](const SqlRow& row) { acked = row.integer(0); }));
  return acked;
}

Result<std::optional<std::string>> storedUuid(StoreConnection& c, const std::string& agent_id,
                                              const std::string& lane, std::int64_t seq) {
  std::optional<std::string> uuid;
  CKS_TRY(c.run("SELECT uuid FROM entries WHERE agent_id = ?1 AND lane = ?2 AND seq = ?3",
                {agent_id, lane, seq}, [&](const SqlRow& row) { uuid = row.text(0); }));
  return uuid;
}

// The agencies whose agents stored an entry with `uuid`, under any agent_id: the uuid is the
// entry's identity across re-enrolments (docs/sync-protocol.md, "Exactly once").
Result<std::vector<std::string>> uuidOwners(StoreConnection& c, const std::string& uuid) {
  std::vector<std::string> agencies;
  CKS_TRY(
      c.run("SELECT DISTINCT a.agency_code FROM entries e JOIN agents a ON a.agent_id = "
            "e.agent_id WHERE e.uuid = ?1",
            {uuid}, [&](const SqlRow& row) { agencies.push_back(row.text(0)); }));
  return agencies;
}

}  // namespace

Result<PushOutcome> Ingest::push(const std::string& agent_id, const PushBatch& batch,
                                 TimePoint received_at) {
  return sql::transaction(pool_, [&](StoreConnection& c) -> Result<PushOutcome> {
    const std::string received = formatIsoUtc(received_at);
    // The contact first: on PostgreSQL this UPDATE locks the agent's row until the
    // transaction ends, so two pushes of one agent run one after the other and the second
    // reads what the first stored (SQLite's BEGIN IMMEDIATE already serialises writers).
    std::optional<std::string> agency_code;
    CKS_TRY(
        c.run("UPDATE agents SET last_contact = ?2, clock_offset_seconds = coalesce(?3, "
              "agents.clock_offset_seconds), agent_version = coalesce(nullif(?4, ''), "
              "agents.agent_version), backlog = ?5 WHERE agent_id = ?1 RETURNING agency_code",
              {agent_id, received,
               batch.agent_time ? SqlValue(std::int64_t((received_at - *batch.agent_time).count()))
                                : SqlValue(),
               batch.agent_version, batch.backlog},
              [&](const SqlRow& row) { agency_code = row.text(0); }));
    if (!agency_code) return fail("store: ", c.where(), ": no agent ", agent_id);

    auto acked = laneAcked(c, agent_id, batch.lane);
    if (!acked) return tl::unexpected(acked.error());
    PushOutcome outcome{PushOutcome::Kind::Acked, *acked, ""};
    if (!batch.entries.empty() && batch.entries.front().seq > *acked + 1) {
      outcome.kind = PushOutcome::Kind::Gap;
      outcome.message = "entries[0].seq is " + std::to_string(batch.entries.front().seq) +
                        " but the hub holds lane " + batch.lane + " up to " +
                        std::to_string(*acked) + ": resend from " + std::to_string(*acked + 1);
    }
    // Replays first (they come first in an ascending batch): one that differs stops
    // everything before any new entry is applied.
    for (size_t i = 0; outcome.kind == PushOutcome::Kind::Acked && i < batch.entries.size() &&
                       batch.entries[i].seq <= *acked;
         ++i) {
      auto stored = storedUuid(c, agent_id, batch.lane, batch.entries[i].seq);
      if (!stored) return tl::unexpected(stored.error());
      if (!*stored) {
        // A seq acknowledged without a row holds an entry stored under an earlier agent_id.
        auto owners = uuidOwners(c, batch.entries[i].uuid);
        if (!owners) return tl::unexpected(owners.error());
        if (std::find(owners->begin(), owners->end(), *agency_code) == owners->end()) {
          stored = std::optional<std::string>("none of agency " + *agency_code);
        }
      }
      if (*stored && **stored != batch.entries[i].uuid) {
        outcome.kind = PushOutcome::Kind::Conflict;
        outcome.message = "entries[" + std::to_string(i) + "]: seq " +
                          std::to_string(batch.entries[i].seq) + " of lane " + batch.lane +
                          " is stored with uuid " + **stored + ", this one has " +
                          batch.entries[i].uuid;
      }
    }
    if (outcome.kind != PushOutcome::Kind::Acked) return outcome;
    // An entry the agency's agents already stored (its answer lost, then the agent re-enrolled
    // and sent it again under the new agent_id) is acknowledged, not applied again; a uuid of
    // another agency's entry is refused before anything is stored.
    std::vector<bool> stored_before(batch.entries.size(), false);
    for (size_t i = 0; i < batch.entries.size(); ++i) {
      const auto& entry = batch.entries[i];
      if (entry.seq <= outcome.acked) continue;
      auto owners = uuidOwners(c, entry.uuid);
      if (!owners) return tl::unexpected(owners.error());
      for (const auto& owner : *owners) {
        if (owner == *agency_code) {
          stored_before[i] = true;
        } else {
          outcome.kind = PushOutcome::Kind::Refused;
          outcome.message = "entries[" + std::to_string(i) + "].uuid: " + entry.uuid +
                            " is an entry of another agency, not of " + *agency_code;
          return outcome;
        }
      }
    }
    // A request id another agency holds is refused before anything is stored.
    for (size_t i = 0; i < batch.entries.size(); ++i) {
      const auto& entry = batch.entries[i];
      if (entry.seq <= outcome.acked || stored_before[i]) continue;
      const std::string* id = entry.request_filed       ? &entry.request_filed->request.id
                              : entry.request_cancelled ? &entry.request_cancelled->request_id
                                                        : nullptr;
      if (id == nullptr) continue;
      std::optional<std::string> owner;
      CKS_TRY(c.run("SELECT agency_code FROM hub_requests WHERE id = ?1", {*id},
                    [&](const SqlRow& row) { owner = row.text(0); }));
      if (owner && *owner != *agency_code) {
        outcome.kind = PushOutcome::Kind::Refused;
        outcome.message = "entries[" + std::to_string(i) + "].body." +
                          (entry.request_filed ? "request.id" : "request_id") + ": request " + *id +
                          " is not a request of agency " + *agency_code;
        return outcome;
      }
    }
    // A report is the agency's own: an agent cannot submit one for another agency.
    for (size_t i = 0; i < batch.entries.size(); ++i) {
      const auto& entry = batch.entries[i];
      if (entry.seq <= outcome.acked || stored_before[i]) continue;
      const std::string* named =
          entry.report_submitted            ? &entry.report_submitted->report.agency_code
          : entry.province_report_submitted ? &entry.province_report_submitted->province
                                            : nullptr;
      if (named != nullptr && *named != *agency_code) {
        outcome.kind = PushOutcome::Kind::Refused;
        outcome.message = "entries[" + std::to_string(i) + "].body." +
                          (entry.report_submitted ? "report.agency" : "province") +
                          ": a report of " + *named + " cannot come from an agent of agency " +
                          *agency_code;
        return outcome;
      }
    }
    sql::Projector projector(c, agent_id, *agency_code, batch.lane, received);
    // Whether the batch put a certificate on the agency's list that may not have been told its
    // revocation status yet: only then is the agency's list compared (not on every push).
    bool certificates_reported = false;
    for (size_t i = 0; i < batch.entries.size(); ++i) {
      const auto& entry = batch.entries[i];
      if (entry.seq <= outcome.acked) continue;
      if (entry.seq != outcome.acked + 1) {
        return fail("store: push: entries are not consecutive at seq ", std::to_string(entry.seq));
      }
      if (stored_before[i]) {
        // Its seq is acknowledged without a row; a replay of it is checked by uuid (above).
        outcome.acked = entry.seq;
        continue;
      }
      CKS_TRY(
          c.run("INSERT INTO entries (agent_id, lane, seq, uuid, kind, at, body, received_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                {agent_id, batch.lane, entry.seq, entry.uuid, entry.kind, formatIsoUtc(entry.at),
                 entry.body_json, received}));
      if (auto applied = projector.apply(entry); !applied) {
        return tl::unexpected(applied.error().wrap("entry seq " + std::to_string(entry.seq)));
      }
      certificates_reported = certificates_reported || entry.kind == "certificate_appeared" ||
                              entry.kind == "certificate_replaced" || entry.kind == "snapshot";
      outcome.acked = entry.seq;
    }
    CKS_TRY(projector.settle());
    // A certificate reported for the first time is told its status by the next pull.
    if (certificates_reported) {
      CKS_TRY(sql::queueRevocationChanges(c, *agency_code, received_at));
    }
    if (outcome.acked != *acked) {
      CKS_TRY(
          c.run("INSERT INTO lane_state (agent_id, lane, acked) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (agent_id, lane) DO UPDATE SET acked = ?3",
                {agent_id, batch.lane, outcome.acked}));
    }
    return outcome;
  });
}

Result<std::int64_t> Ingest::entryCount(const std::string& agent_id) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::int64_t> {
    std::int64_t count = 0;
    CKS_TRY(c.run("SELECT count(*) FROM entries WHERE agent_id = ?1", {agent_id},
                  [&](const SqlRow& row) { count = row.integer(0); }));
    return count;
  });
}

Result<std::int64_t> Ingest::bodyLengthSince(const std::string& agent_id, TimePoint since) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::int64_t> {
    std::int64_t length = 0;
    CKS_TRY(c.run(
        "SELECT COALESCE(SUM(LENGTH(body)), 0) FROM entries WHERE agent_id = ?1 AND "
        "received_at >= ?2",
        {agent_id, formatIsoUtc(since)}, [&](const SqlRow& row) { length = row.integer(0); }));
    return length;
  });
}

Result<std::vector<sync::FeedItem>> Ingest::feedAfter(const std::string& agent_id,
                                                      std::int64_t cursor, int limit) {
  return sql::read(pool_, [&](StoreConnection& c) -> Result<std::vector<sync::FeedItem>> {
    std::vector<sync::FeedItem> items;
    std::optional<Error> bad;
    CKS_TRY(
        c.run("SELECT seq, kind, body FROM feed WHERE agent_id = ?1 AND seq > ?2 ORDER BY seq "
              "LIMIT ?3",
              {agent_id, cursor, std::int64_t{limit}}, [&](const SqlRow& row) {
                sync::FeedItem item{row.integer(0), row.text(1), nullptr};
                try {
                  Poco::JSON::Parser parser;
                  item.body = parser.parse(row.text(2)).extract<Poco::JSON::Object::Ptr>();
                } catch (const Poco::Exception& e) {
                  if (!bad) {
                    bad = Error{"store: " + c.where() + ": feed item " + std::to_string(item.seq) +
                                " of " + agent_id + ": " + e.displayText()};
                  }
                }
                items.push_back(std::move(item));
              }));
    if (bad) return tl::unexpected(*bad);
    return items;
  });
}

}  // namespace cks::hub
