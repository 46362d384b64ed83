#include "agent/agent_sync_state.h"

#include <Poco/JSON/Parser.h>

#include <optional>
#include <sstream>

#include "agent/agency_profile.h"
#include "agent/merger_api.h"
#include "agent/report_api.h"
#include "core/alert_rules.h"
#include "core/time_format.h"
#include "store/alerts.h"
#include "store/revocations.h"
#include "sync/client/clock_offset.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/inventory_digest.h"
#include "sync/protocol/inventory_json.h"
#include "sync/protocol/merger_json.h"

namespace cks::agent {
namespace {

// A `request_status` feed item (docs/requests.md, "Sync of requests"); nullopt when it lacks
// the request id or names no known state.
std::optional<store::RequestStatusUpdate> requestStatusFrom(const Poco::JSON::Object& body) {
  auto item = sync::readRequestStatusItem(body);
  if (!item) return std::nullopt;
  return store::RequestStatusUpdate{item->request_id, item->state,     item->at,
                                    item->by,         item->reason,    item->reference,
                                    item->due_date,   item->handled_by};
}

// A `report_deadline` feed item: the year and what to keep of it, {"deadline", "remind_from"};
// nullopt when the year is out of range, a date is not YYYY-MM-DD, or the reminder would begin
// after the deadline.
std::optional<std::pair<int, std::string>> reportDeadlineFrom(const Poco::JSON::Object& body) {
  const auto item = sync::readReportDeadlineItem(body);
  if (!item || item->year < kFirstReportYear || item->year > kLastReportYear ||
      item->remind_from > item->deadline) {
    return std::nullopt;
  }
  Poco::JSON::Object kept(Poco::JSON_PRESERVE_KEY_ORDER);
  kept.set("deadline", formatDate(item->deadline));
  kept.set("remind_from", formatDate(item->remind_from));
  return std::make_pair(item->year, sync::stringify(kept));
}

}  // namespace

Result<std::vector<sync::OutboxEntry>> AgentSyncState::pending(const std::string& lane, int limit) {
  auto rows = outbox_.pending(lane, limit);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<sync::OutboxEntry> entries;
  entries.reserve(rows->size());
  Poco::JSON::Parser parser;
  for (const auto& row : *rows) {
    sync::OutboxEntry entry;
    entry.seq = row.seq;
    entry.uuid = row.uuid;
    entry.kind = row.kind;
    entry.at = row.at;
    try {
      entry.body = parser.parse(row.body).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
      return fail("outbox: entry ", lane, "/", std::to_string(row.seq), ": ", e.displayText());
    }
    parser.reset();
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::int64_t> AgentSyncState::backlog() { return outbox_.backlog(); }

Status AgentSyncState::acknowledge(const std::string& lane, std::int64_t acked) {
  CKS_TRY(outbox_.acknowledge(lane, acked));
  // A request whose filing the hub now holds has left the agency.
  auto submitted = requests_.markSubmitted(clock_.now());
  if (!submitted) return tl::unexpected(submitted.error());
  return ok();
}

Result<std::int64_t> AgentSyncState::feedCursor() {
  auto value = outbox_.state("feed_cursor");
  if (!value) return tl::unexpected(value.error());
  return *value ? std::stoll(**value) : 0;
}

Status AgentSyncState::applyFeed(const std::vector<sync::FeedItem>& items,
                                 std::int64_t new_cursor) {
  // Each item overwrites what it names, so applying one twice changes nothing.
  for (const auto& item : items) {
    if (!item.body) continue;
    if (item.kind == "agency") {
      // The agency renamed, recoded or moved: the fields the item names, the others kept.
      const auto agency = sync::readAgencyItem(*item.body);
      for (const auto key : identityFieldNames()) {
        if (const auto& value = agency.field(key)) {
          auto status = outbox_.setState(agencyStateKey(key), *value);
          if (!status) return status;
        }
      }
    } else if (item.kind == "request_status") {
      // Old or repeated steps and requests this agent does not know are ignored (nothing is
      // logged: a stranger's request id says nothing useful here).
      if (auto update = requestStatusFrom(*item.body)) {
        auto applied = requests_.applyStatus(*update, clock_.now());
        if (!applied) return tl::unexpected(applied.error());
      }
    } else if (item.kind == "merger") {
      // The province announced a merger of this unit: kept for `cksctl merger plan` and told to
      // the officer once (a repeated item finds the same merger kept and raises nothing).
      auto merger = sync::parseMerger(item.body);
      if (!merger) continue;  // a malformed item must not stop the feed
      const std::string body = sync::stringify(sync::mergerJson(*merger));
      auto kept = outbox_.state(kPublishedMergerKey);
      if (!kept) return tl::unexpected(kept.error());
      if (*kept && **kept == body) continue;
      CKS_TRY(outbox_.setState(kPublishedMergerKey, body));
      auto condition = AlertCondition::about(AlertKind::MergerPublished, "", "");
      std::string from;
      for (const MergerUnit& unit : merger->from) from += (from.empty() ? "" : ", ") + unit.name;
      condition.params = {{"merger_id", merger->id}, {"into", merger->into.name}, {"from", from}};
      auto raised = store::Alerts(inventory_).raise(condition, clock_.now());
      if (!raised) return tl::unexpected(raised.error());
    } else if (item.kind == "report_deadline") {
      // The province's dates for one year's report (docs/report.md, "Agent side"); they win
      // over [report] of agent.ini for that year. A malformed item must not stop the feed.
      if (auto dates = reportDeadlineFrom(*item.body)) {
        CKS_TRY(outbox_.setState(kReportDeadlineKeyPrefix + std::to_string(dates->first),
                                 dates->second));
      }
    } else if (item.kind == "revocation_status") {
      // What the hub now knows of one of the agency's certificates (docs/revocation.md, "At
      // the agent"); the latest item wins. A malformed item must not stop the feed.
      if (auto told = sync::readRevocationStatusItem(*item.body)) {
        CKS_TRY(store::Revocations(inventory_)
                    .record(told->fingerprint, told->status, told->next_update, clock_.now()));
      }
    } else if (item.kind == "settings") {
      for (const auto& [key, value] : sync::readSettingsItem(*item.body).values) {
        auto status = outbox_.setState("setting." + key, value);
        if (!status) return status;
      }
    }
  }
  return outbox_.setState("feed_cursor", std::to_string(new_cursor));
}

Result<sync::DigestRequest> AgentSyncState::digest() {
  auto tokens = inventory_.tokens();
  if (!tokens) return tl::unexpected(tokens.error());
  auto certificates = inventory_.certificates();
  if (!certificates) return tl::unexpected(certificates.error());
  std::vector<sync::DigestToken> digest_tokens;
  for (const auto& t : *tokens) {
    digest_tokens.push_back({t.token.serial, t.token.manufacturer, t.present});
  }
  std::vector<sync::DigestCertificate> digest_certificates;
  for (const auto& c : *certificates) {
    digest_certificates.push_back({c.certificate.fingerprint_sha256, c.token_serial, c.present});
  }
  return sync::DigestRequest{sync::inventoryDigest(digest_tokens, digest_certificates),
                             std::int64_t(tokens->size()), std::int64_t(certificates->size())};
}

Status AgentSyncState::queueSnapshot() { return outbox_.queueSnapshot(clock_.now()); }

Status AgentSyncState::recordHubContact(TimePoint hub_time, TimePoint local_time) {
  // An implausible offset is not applied: the agent keeps the one it had (HubSync warns).
  const auto offset = std::chrono::duration_cast<std::chrono::seconds>(hub_time - local_time);
  if (sync::plausibleClockOffset(offset)) {
    if (auto status = outbox_.setState("hub_offset_seconds", std::to_string(offset.count()));
        !status) {
      return status;
    }
  }
  return outbox_.setState("last_hub_contact",
                          std::to_string(local_time.time_since_epoch().count()));
}

}  // namespace cks::agent
