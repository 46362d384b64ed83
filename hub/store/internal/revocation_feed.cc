#include "hub/store/internal/revocation_feed.h"

#include <map>
#include <utility>
#include <vector>

#include "core/request.h"
#include "core/revocation.h"
#include "core/time_format.h"
#include "hub/store/internal/sql.h"
#include "sync/protocol/feed_items.h"

namespace cks::hub::sql {
namespace {

std::optional<CrlReason> reasonOf(const SqlRow& row, int column) {
  CrlReason reason{};
  if (row.isNull(column) || !parseCrlReason(row.text(column), reason)) return std::nullopt;
  return reason;
}

SqlValue reasonOrNull(const std::optional<CrlReason>& reason) {
  return reason ? SqlValue(std::string(toString(*reason))) : SqlValue();
}

// The item for a certificate the held list `listing` speaks of, at `now`.
sync::RevocationStatusItem itemAt(std::string fingerprint, const HeldListing& listing,
                                  TimePoint now) {
  sync::RevocationStatusItem item{std::move(fingerprint), revocationStatusAt(listing, now), {}};
  if (item.status.state != RevocationState::Unknown) item.next_update = listing.next_update;
  return item;
}

// Completes the open revocation requests of a certificate the agency was told is revoked
// (issue 16: "requests close themselves"), whichever came first, the request or the revocation:
// journalled by the revocation list at the revocation's time, unless that was before the
// province received the request (then now, when the hub saw both), and told to the agent that
// filed it. Only `agency_code`'s requests when given.
Status completeRevocationRequests(StoreConnection& c, const std::optional<std::string>& agency_code,
                                  TimePoint now) {
  struct Open {
    std::string id, agency_code, agent_id, state, received_at, due_date, reference, handled_by,
        revoked_at;
  };
  std::vector<Open> open;
  std::vector<SqlValue> params = {std::string(toString(RequestKind::Revocation)),
                                  std::string(toString(RequestState::Received)),
                                  std::string(toString(RequestState::InProgress)),
                                  std::string(toString(RequestState::ForwardedToProvider)),
                                  std::string(toString(RevocationState::Revoked))};
  if (agency_code) params.push_back(*agency_code);
  CKS_TRY(
      c.run("SELECT r.id, r.agency_code, r.agent_id, r.state, coalesce(r.received_at, ''), "
            "coalesce(r.due_date, ''), coalesce(r.reference, ''), r.handled_by, "
            "coalesce(t.revoked_at, '') FROM hub_requests r JOIN hub_agency_revocations t ON "
            "t.agency_code = r.agency_code AND t.fingerprint = r.fingerprint WHERE r.kind = ?1 AND "
            "r.state IN (?2, ?3, ?4) AND t.status = ?5" +
                std::string(agency_code ? " AND r.agency_code = ?6" : "") + " ORDER BY r.id",
            params, [&](const SqlRow& row) {
              open.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                              row.text(5), row.text(6), row.text(7), row.text(8)});
            }));
  const std::string completed(toString(RequestState::Completed));
  for (const auto& request : open) {
    const TimePoint revoked = timeOf(request.revoked_at);
    const std::string at = formatIsoUtc(revoked >= timeOf(request.received_at) ? revoked : now);
    CKS_TRY(
        c.run("UPDATE hub_requests SET state = ?2, updated_at = ?3 WHERE id = ?1 AND state = ?4",
              {request.id, completed, formatIsoUtc(now), request.state}));
    CKS_TRY(journal(c, request.agency_code, request.id, completed, at, kRevocationListBy, "",
                    request.reference));
    HandledBy handled_by{};
    if (!parseHandledBy(request.handled_by, handled_by)) handled_by = HandledBy::Province;
    CKS_TRY(
        queueFeedItem(c, request.agent_id, "request_status",
                      requestStatusBody(request.id, RequestState::Completed, at, kRevocationListBy,
                                        "", request.reference, request.due_date, handled_by),
                      formatIsoUtc(now)));
  }
  return ok();
}

}  // namespace

HeldListing listingOf(const SqlRow& row, int column) {
  HeldListing listing;
  listing.this_update = timeOf(row.text(column));
  listing.next_update = optionalTime(row, column + 1);
  listing.listed = !row.isNull(column + 2);
  if (listing.listed) {
    listing.revoked_at = timeOf(row.text(column + 2));
    listing.reason = reasonOf(row, column + 3);
  }
  return listing;
}

Result<int> queueRevocationChanges(StoreConnection& c,
                                   const std::optional<std::string>& agency_code, TimePoint now) {
  // agency → the items that differ from what it was told. An agency with two agents reports a
  // certificate twice; its status is the same.
  std::map<std::string, std::map<std::string, sync::RevocationStatusItem>> changed;
  const std::string sql =
      "SELECT c.agency_code, c.fingerprint, l.this_update, l.next_update, e.revoked_at, e.reason, "
      "t.status, t.as_of, t.next_update, t.revoked_at, t.reason FROM hub_certificates c "
      "JOIN hub_crls l ON l.issuer = c.issuer "
      "LEFT JOIN hub_crl_entries e ON e.issuer = c.issuer AND e.serial = c.serial "
      "LEFT JOIN hub_agency_revocations t ON t.agency_code = c.agency_code AND "
      "t.fingerprint = c.fingerprint" +
      std::string(agency_code ? " WHERE c.agency_code = ?1" : "");
  std::vector<SqlValue> params;
  if (agency_code) params.push_back(*agency_code);
  CKS_TRY(c.run(sql, params, [&](const SqlRow& row) {
    auto item = itemAt(row.text(1), listingOf(row, 2), now);
    sync::RevocationStatusItem told{row.text(1), {}, {}};  // untold: unknown, as of nothing
    if (!row.isNull(6) && parseRevocationState(row.text(6), told.status.state)) {
      told.status.as_of = optionalTime(row, 7);
      told.next_update = optionalTime(row, 8);
      told.status.revoked_at = optionalTime(row, 9);
      told.status.reason = reasonOf(row, 10);
    }
    if (item != told) changed[row.text(0)].insert_or_assign(item.fingerprint, std::move(item));
  }));
  const std::string at = formatIsoUtc(now);
  int count = 0;
  for (const auto& [code, items] : changed) {
    for (const auto& [fingerprint, item] : items) {
      CKS_TRY(tellAgencies(c, {code}, "revocation_status", sync::encodeItem(item), at));
      CKS_TRY(
          c.run("INSERT INTO hub_agency_revocations (agency_code, fingerprint, status, as_of, "
                "next_update, revoked_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                "ON CONFLICT (agency_code, fingerprint) DO UPDATE SET status = ?3, as_of = ?4, "
                "next_update = ?5, revoked_at = ?6, reason = ?7",
                {code, fingerprint, std::string(toString(item.status.state)),
                 timeOrNull(item.status.as_of), timeOrNull(item.next_update),
                 timeOrNull(item.status.revoked_at), reasonOrNull(item.status.reason)}));
      ++count;
    }
  }
  CKS_TRY(completeRevocationRequests(c, agency_code, now));
  return count;
}

}  // namespace cks::hub::sql
